using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR;
// What one idle connection costs with nothing of ours in it, for docs/performance.md. MODE=hub: a bare
// SignalR hub. MODE=ws: a Kestrel WebSocket speaking just enough of the SignalR JSON protocol for the bench's idle
// scenario (handshake, authorize -> authorized), with a 64-byte receive buffer.
var mode = Environment.GetEnvironmentVariable("MODE") ?? "hub";
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSignalR();
var app = builder.Build();
if (mode == "hub") app.MapHub<FloorHub>("/hubs/tickets");
else
{
    app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
    app.Map("/hubs/tickets", async ctx =>
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64];
        var handshook = false;
        while (ws.State == WebSocketState.Open)
        {
            await ws.ReceiveAsync(Memory<byte>.Empty, default); // zero-byte read: no buffer held while idle
            var r = await ws.ReceiveAsync(buffer.AsMemory(), default);
            if (r.MessageType == WebSocketMessageType.Close) break;
            var text = Encoding.UTF8.GetString(buffer, 0, r.Count);
            if (!handshook) { handshook = true; await ws.SendAsync("{}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, default); }
            else if (text.Contains("authoriz")) await ws.SendAsync(Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"authorized\",\"arguments\":[{}]}\u001e"), WebSocketMessageType.Text, true, default);
            while (!r.EndOfMessage) r = await ws.ReceiveAsync(buffer.AsMemory(), default);
        }
    });
}
app.MapGet("/health/ready", () => "ok");
app.Run();

public sealed class FloorHub : Hub
{
    public Task Authorize(System.Text.Json.JsonElement _) => Clients.Caller.SendAsync("authorized", new { ok = true });
}
