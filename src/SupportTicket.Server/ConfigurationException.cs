namespace SupportTicket.Server;

// A setting that makes the server unable to start; the message names the setting. In the root namespace, so every
// feature can throw it without importing Hosting (which imports the features). Hosting/StartupFailure prints it.
public sealed class ConfigurationException(string message) : Exception(message);

// Where this node keeps its local files (next to the SQLite database, or ./data): set by Storage, read by Auth for the
// development signing key, so Auth does not import Storage.
public sealed record DataDirectory(string Path);
