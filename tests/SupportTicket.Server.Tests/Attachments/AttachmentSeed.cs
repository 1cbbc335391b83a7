using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Attachments;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>Stores files the way the Discord relay does (AttachmentStore), without a Discord round trip per test.</summary>
internal static class AttachmentSeed
{
    public static async Task<string> StoreAsync(WebApplicationFactory<Program> app, string ticketId, string? messageId, string fileName,
        string contentType, byte[] data)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var file = AttachmentStore.Add(db, ticketId, fileName, contentType, data, createdAt: 0);
        file.MessageId = messageId;
        await db.SaveChangesAsync();
        return $"/api/v1/attachments/{file.Id}/{Uri.EscapeDataString(fileName)}";
    }

    /// <summary>Chunk rows left of the file behind <paramref name="link"/>: 0 once it is really deleted, not just hidden.</summary>
    public static async Task<int> ChunksAsync(WebApplicationFactory<Program> app, string link)
    {
        var id = link.Split('/')[4];
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().AttachmentChunks.CountAsync(c => c.AttachmentId == id);
    }

    public static byte[] Random(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }
}
