using System.Runtime.CompilerServices;

namespace GoHeapDump.Reference;

/// <summary>
/// The runtime's dump write buffer, call for call. Go: runtime/heapdump.go buf [bufSize]byte, nbuf, dwrite,
/// dwritebyte, flush. A write that fits is buffered; one that does not fit first writes the buffer out (even
/// when it is empty, an empty write call), then either goes straight to the sink (4096 bytes or more) or
/// starts the next buffer. <see cref="Flush"/> writes whatever is buffered, also when that is nothing.
/// </summary>
public sealed class DumpBuffer
{
    /// <summary>Go: bufSize.</summary>
    public const int Size = HeapDumpFormat.WriteBufferSize;

    private readonly byte[] _buf = new byte[Size];
    private readonly DumpSink _sink;
    private readonly bool _boundaryFault;
    private int _n;
    private long _written;

    /// <summary>A buffer writing to <paramref name="sink"/>.</summary>
    public DumpBuffer(DumpSink sink)
        : this(sink, boundaryFault: false)
    {
    }

    /// <summary>A buffer with the deliberate boundary bug of <see cref="WriterFaults.BufferBoundaryOffByOne"/> when <paramref name="boundaryFault"/> is set.</summary>
    internal DumpBuffer(DumpSink sink, bool boundaryFault)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _boundaryFault = boundaryFault;
    }

    /// <summary>Bytes buffered and not yet written. Go: nbuf.</summary>
    public int Pending => _n;

    /// <summary>Bytes handed to the sink so far (what a file would hold if the process died now).</summary>
    public long BytesWritten => _written;

    /// <summary>Go: dwrite.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return; // Go: dwrite returns early for len == 0: no write call, no flush.
        }

        if (data.Length <= Size - _n)
        {
            if (data.Length == Size - _n && _boundaryFault)
            {
                WriteSlow(data); // the deliberate bug: a write that fills the buffer exactly flushes first
                return;
            }

            data.CopyTo(_buf.AsSpan(_n));
            _n += data.Length;
            return;
        }

        WriteSlow(data);
    }

    /// <summary>Go: dwritebyte.</summary>
    public void WriteByte(byte value)
    {
        if (_n < Size - 1)
        {
            _buf[_n++] = value;
            return;
        }

        // The byte that fills the buffer exactly goes through Write, where the rule is stated once.
        Write([value]);
    }

    /// <summary>Go: dumpint: the minimal uvarint, as one dwrite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUvarint(ulong value)
    {
        // Strictly below: a uvarint that would fill the buffer exactly goes through Write (same result).
        if (_n < Size - HeapDumpFormat.MaxUvarintLength)
        {
            // Any uvarint fits: encoding in place is the same as encoding then dwrite.
            _n += PrimitiveEncoder.WriteUvarint(_buf.AsSpan(_n), value);
            return;
        }

        Span<byte> tmp = stackalloc byte[HeapDumpFormat.MaxUvarintLength];
        Write(tmp[..PrimitiveEncoder.WriteUvarint(tmp, value)]);
    }

    /// <summary>Go: flush: writes the buffered bytes (an empty write when there are none).</summary>
    public void Flush()
    {
        Emit(_buf.AsSpan(0, _n));
        _n = 0;
    }

    /// <summary>
    /// The free part of the buffer when more than <paramref name="maxBytes"/> are free, else an empty span.
    /// A run of dwrites totalling at most that many bytes all fit without a flush, so writing them here and
    /// calling <see cref="Advance"/> is the same as making them one by one. Strictly more, so that a run
    /// never fills the buffer exactly: that case goes through <see cref="Write"/>, where the rule is stated once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<byte> TryReserve(int maxBytes) =>
        maxBytes < Size - _n ? _buf.AsSpan(_n) : default;

    /// <summary>Marks <paramref name="count"/> bytes of the span from <see cref="TryReserve"/> as written.</summary>
    internal void Advance(int count) => _n += count;

    private void WriteSlow(ReadOnlySpan<byte> data)
    {
        Emit(_buf.AsSpan(0, _n));
        if (data.Length >= Size)
        {
            Emit(data);
            _n = 0;
        }
        else
        {
            data.CopyTo(_buf);
            _n = data.Length;
        }
    }

    private void Emit(ReadOnlySpan<byte> data)
    {
        _sink.Write(data);
        _written += data.Length;
    }
}
