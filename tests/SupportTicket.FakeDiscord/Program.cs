using SupportTicket.FakeDiscord;

// A fake Discord for local demos: point the bot's Discord:ApiBaseUrl and Discord:Token at what this prints.
await using var server = new FakeDiscordServer(new FakeDiscordOptions { HeartbeatIntervalMs = 41250, LogToConsole = true });
await server.StartAsync();
Console.WriteLine($"Fake Discord REST:    {server.ApiBaseUrl}");
Console.WriteLine($"Fake Discord Gateway: {server.GatewayUrl}");
Console.WriteLine($"Bot token:            {server.Options.Token}");
Console.WriteLine($"Guild {server.GuildId}, application {server.ApplicationId}, category GENERAL {server.GeneralCategoryId}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
