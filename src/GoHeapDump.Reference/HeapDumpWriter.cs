using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

/// <summary>
/// The reference producer: writes exactly the bytes, in exactly the write calls, that the state's Go release's
/// <c>runtime/debug.WriteHeapDump</c> writes for a <see cref="RuntimeState"/>. One partial file per step of
/// the runtime's algorithm, named after the Go function it mirrors (runtime/heapdump.go).
/// </summary>
/// <remarks>
/// When the runtime would throw (a goroutine in a status it cannot dump, a span with more slots than the
/// free-mark array, a PC the traceback cannot resolve) the writer throws
/// <see cref="InvalidRuntimeStateException"/> after the same write calls the runtime would have made.
/// </remarks>
public sealed partial class HeapDumpWriter
{
    private readonly RuntimeState _state;
    private readonly AllSpans _spans;
    private readonly DumpBuffer _out;
    private readonly int _ptrSize;
    private readonly ulong _mask;
    private readonly WriterFaults _faults;
    private readonly ReleaseProfile _release;

    private HeapDumpWriter(RuntimeState state, AllSpans spans, DumpSink sink, WriterFaults faults)
    {
        _state = state;
        _spans = spans;
        _faults = faults;
        _out = new DumpBuffer(sink, (faults & WriterFaults.BufferBoundaryOffByOne) != 0);
        _ptrSize = state.Platform.PtrSize;
        _mask = state.Platform.PointerMask;
        _release = ReleaseProfile.Of(state.Release);
        _typesByAddress = new Lazy<Dictionary<ulong, RuntimeType>>(() => state.Types.ToDictionary(t => t.Address));
    }

    /// <summary>The state's types by address: what a malloc header's word points at (Go 1.22+).</summary>
    private readonly Lazy<Dictionary<ulong, RuntimeType>> _typesByAddress;

    /// <summary>Writes the dump of <paramref name="state"/> to <paramref name="sink"/>, one sink call per runtime write call.</summary>
    /// <exception cref="InvalidRuntimeStateException">The runtime would throw on this state.</exception>
    public static void Write(RuntimeState state, DumpSink sink)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sink);
        new HeapDumpWriter(state, AllSpans.Of(state.Spans), sink, WriterFaults.None).MDump();
    }

    /// <summary>
    /// Writes the dump of <paramref name="state"/> whose heap is <paramref name="spans"/> (a state without
    /// <see cref="RuntimeState.Spans"/> of its own, whose spans are produced while the dump walks them).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> has spans of its own.</exception>
    /// <exception cref="InvalidRuntimeStateException">The runtime would throw on this state.</exception>
    public static void Write(RuntimeState state, AllSpans spans, DumpSink sink)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(sink);
        if (!state.Spans.IsEmpty)
        {
            throw new ArgumentException("the state has spans of its own; give them or the walk, not both", nameof(state));
        }

        new HeapDumpWriter(state, spans, sink, WriterFaults.None).MDump();
    }

    /// <summary>Writes the dump with deliberate bugs switched on: the property suite's proof that its properties catch them.</summary>
    internal static void Write(RuntimeState state, DumpSink sink, WriterFaults faults)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sink);
        new HeapDumpWriter(state, AllSpans.Of(state.Spans), sink, faults).MDump();
    }

    /// <summary>Writes the dump of <paramref name="state"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidRuntimeStateException">The runtime would throw on this state (part of the dump may have been written).</exception>
    public static void Write(RuntimeState state, Stream destination) => Write(state, new StreamDumpSink(destination));

    /// <summary>The dump of <paramref name="state"/> as bytes.</summary>
    /// <exception cref="InvalidRuntimeStateException">The runtime would throw on this state.</exception>
    public static byte[] ToBytes(RuntimeState state)
    {
        using var ms = new MemoryStream();
        Write(state, ms);
        return ms.ToArray();
    }

    /// <summary>
    /// Writes the dump to <paramref name="path"/> through a temporary file in the same directory, moved into
    /// place only when the dump is complete: if the writer throws, the previous file is untouched and no
    /// temporary file is left.
    /// </summary>
    /// <exception cref="InvalidRuntimeStateException">The runtime would throw on this state; nothing is written.</exception>
    public static void WriteFile(RuntimeState state, string path)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.Write(path, stream => Write(state, stream));
    }

    /// <summary>
    /// Writes the dump of <paramref name="state"/> whose heap is <paramref name="spans"/> to <paramref name="path"/>, as
    /// <see cref="WriteFile(RuntimeState, string)"/> does.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> has spans of its own.</exception>
    /// <exception cref="InvalidRuntimeStateException">The runtime would throw on this state; nothing is written.</exception>
    public static void WriteFile(RuntimeState state, AllSpans spans, string path)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.Write(path, stream => Write(state, spans, new StreamDumpSink(stream)));
    }

    /// <summary>Go: heapdump.go mdump, the order of the whole dump.</summary>
    private void MDump()
    {
        // Go: mdump clears the type cache (a fresh writer has an empty one) and writes the header.
        _out.Write(_release.Header); // Go: heapdump.go dumphdr
        DumpParams();
        DumpItabs();
        DumpObjs();
        DumpGs();
        DumpMs();
        DumpRoots();
        DumpMemStats();
        DumpMemProf();
        DumpInt((ulong)RecordKind.Eof);
        _out.Flush();
    }

    /// <summary>The runtime's fatal error: print, then throw. The process dies with what it has written.</summary>
    private InvalidRuntimeStateException Throw(string goThrow, string runtimePrint = "") =>
        new(goThrow, runtimePrint, _out.BytesWritten);
}
