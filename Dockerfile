# SupportTicket server image: built from source in an SDK stage, run as a non-root user on the ASP.NET runtime.
#   docker build -t supportticket .      (docker-compose.yml builds it for the two replicas)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/SupportTicket.Discord/SupportTicket.Discord.csproj src/SupportTicket.Discord/
COPY src/SupportTicket.Server/SupportTicket.Server.csproj src/SupportTicket.Server/
RUN dotnet restore src/SupportTicket.Server/SupportTicket.Server.csproj
COPY src/ src/
RUN dotnet publish src/SupportTicket.Server/SupportTicket.Server.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the container health check (GET /health/ready).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The image's built-in unprivileged user; /app/data holds the SQLite file and the development key when used alone.
RUN mkdir -p /app/data && chown app:app /app/data
USER app
ENV SERVER_MODE=PRODUCTION \
    WEB_SERVER_PORT=8080 \
    DOTNET_gcServer=0
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
# SIGTERM starts the graceful drain (README: Running several nodes); give it the time Kestrel needs.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "SupportTicket.Server.dll"]
