namespace GoHeapDump.Testing;

/// <summary>
/// A stream that can only be read forward, like a pipe: what a pipe does not have throws. Notes whether it was read on a
/// thread other than the one that made it (<see cref="ReadElsewhere"/>: a reader reading it ahead).
/// </summary>
internal abstract class ForwardOnlyStream : Stream
{
    private readonly int _maker = Environment.CurrentManagedThreadId;

    /// <summary>A read was made on a thread other than the one that made the stream.</summary>
    public bool ReadElsewhere { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override int Read(byte[] buffer, int offset, int count)
    {
        ReadElsewhere |= Environment.CurrentManagedThreadId != _maker;
        return ReadCore(buffer, offset, count);
    }

    /// <summary>As <see cref="Read(byte[], int, int)"/>.</summary>
    protected abstract int ReadCore(byte[] buffer, int offset, int count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A forward-only stream (like a pipe or stdin) over bytes, handing out at most <c>chunk</c> bytes per read.</summary>
/// <remarks>Shared by the test projects (linked from tests/Shared): every parser must read pipes as it reads files.</remarks>
internal sealed class PipeStream(byte[] data, int chunk = int.MaxValue) : ForwardOnlyStream
{
    private int _position;

    protected override int ReadCore(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }
}

/// <summary>
/// A seekable stream of <c>length</c> bytes (possibly far beyond 2 GiB) whose byte at position p is
/// <c>(byte)(p % 251)</c>; nothing is stored.
/// </summary>
internal sealed class SyntheticStream(long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public static byte ByteAt(long position) => (byte)(position % 251);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Max(0, Math.Min(count, length - _position));
        for (var i = 0; i < n; i++)
        {
            buffer[offset + i] = ByteAt(_position + i);
        }

        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
