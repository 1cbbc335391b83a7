#!/bin/sh
# A Docker CLI plugin shim over Debian's docker-compose package, so `docker compose config` validates
# docker-compose.yml on a machine without a Docker engine or the compose plugin (tests/run.sh installs it
# at $DOCKER_CONFIG/cli-plugins/docker-compose).
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"Debian docker-compose","Version":"1","ShortDescription":"Docker Compose"}'
  exit 0
fi
shift # the CLI passes the plugin name ("compose") first
exec docker-compose "$@"
