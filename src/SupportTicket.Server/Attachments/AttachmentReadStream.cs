using System.Buffers;
using System.Runtime.InteropServices;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Attachments;

// A stored file as a seekable, read-only stream that reads at most one chunk per call. Seekable with a known length, so
// the framework's file result answers Range (206/416) and sets Content-Length by itself.
internal sealed class AttachmentReadStream(AppDbContext db, StoredAttachment file) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => file.Size;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= file.Size || buffer.Length == 0) return 0;
        var seq = (int)(_position / AttachmentStore.ChunkSize);
        var offset = (int)(_position % AttachmentStore.ChunkSize);
        var count = (int)Math.Min(Math.Min(buffer.Length, AttachmentStore.ChunkSize - offset), file.Size - _position);
        int read;
        if (MemoryMarshal.TryGetArray<byte>(buffer[..count], out var array))
            read = await AttachmentStore.ReadChunkAsync(db, file.Id, seq, offset, array, cancellationToken);
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent(count);
            try
            {
                read = await AttachmentStore.ReadChunkAsync(db, file.Id, seq, offset, new ArraySegment<byte>(rented, 0, count), cancellationToken);
                rented.AsMemory(0, read).CopyTo(buffer);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        // 0 when deleted while being read (its ticket or message went away): the response ends short, as a cut connection would.
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Kestrel disallows synchronous I/O, and the file result reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously");

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => file.Size + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
