namespace GoHeapDump.Reference;

/// <summary>
/// Where the dump's <c>write(dumpfd, …)</c> calls go. Go: runtime/heapdump.go write(dumpfd, p, n).
/// One call per runtime write, so a sink sees exactly the runtime's write calls, including the empty ones.
/// Subclass it to observe or fail writes (tests inject faults here).
/// </summary>
public abstract class DumpSink
{
    /// <summary>One write call of <paramref name="data"/>.Length bytes (possibly 0).</summary>
    public abstract void Write(ReadOnlySpan<byte> data);

    /// <summary>A sink that writes to <paramref name="stream"/>.</summary>
    public static DumpSink ToStream(Stream stream) => new StreamDumpSink(stream);
}

/// <summary>Writes every call to a stream. Empty writes are passed on too (a no-op for streams).</summary>
public sealed class StreamDumpSink : DumpSink
{
    private readonly Stream _stream;

    /// <summary>A sink over <paramref name="stream"/>; the caller keeps ownership of the stream.</summary>
    public StreamDumpSink(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    public override void Write(ReadOnlySpan<byte> data) => _stream.Write(data);
}

/// <summary>
/// Records every write call (its length and bytes) and passes it on to an optional inner sink: the
/// observable log of the runtime's write calls that tests compare against.
/// </summary>
public sealed class RecordingDumpSink : DumpSink
{
    private readonly DumpSink? _inner;
    private readonly List<int> _lengths = [];
    private readonly List<byte> _bytes = [];

    /// <summary>A recorder, forwarding to <paramref name="inner"/> when given.</summary>
    public RecordingDumpSink(DumpSink? inner = null) => _inner = inner;

    /// <summary>The length of every write call, in order.</summary>
    public IReadOnlyList<int> CallLengths => _lengths;

    /// <summary>All bytes written so far.</summary>
    public byte[] ToArray() => [.. _bytes];

    public override void Write(ReadOnlySpan<byte> data)
    {
        _lengths.Add(data.Length);
        _bytes.AddRange(data);
        _inner?.Write(data);
    }
}
