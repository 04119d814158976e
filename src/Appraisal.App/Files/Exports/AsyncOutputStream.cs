namespace Appraisal.App.Files.Exports;

/// <summary>
/// A write-only stream over an output that allows only asynchronous writes (an HTTP response). The zip writer under
/// SpreadCheetah writes the few bytes that close each entry and the central directory synchronously when it is
/// disposed; those synchronous writes are kept here and sent on the next asynchronous write or <see cref="FlushAsync(CancellationToken)"/>.
/// Everything else (the rows, which SpreadCheetah writes asynchronously) goes straight through, so the workbook
/// is streamed rather than held in memory.
/// </summary>
internal sealed class AsyncOutputStream(Stream output) : Stream
{
    private readonly MemoryStream pending = new();
    private long position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        pending.Write(buffer);
        position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendPendingAsync(cancellationToken);
        await output.WriteAsync(buffer, cancellationToken);
        position += buffer.Length;
    }

    public override void Flush()
    {
        // Synchronous flushes wait for the next asynchronous write or FlushAsync.
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pending.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task SendPendingAsync(CancellationToken ct)
    {
        if (pending.Length > 0)
        {
            await output.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), ct);
            pending.SetLength(0);
        }
    }
}
