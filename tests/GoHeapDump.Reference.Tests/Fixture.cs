using System.Collections.Immutable;
using GoHeapDump.Fixtures;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>
/// The parts most expected dumps share, written by hand from the format description (FORMAT-FACTS.md,
/// runtime/heapdump.go), and small helpers to build states.
/// </summary>
internal static class Fixture
{
    /// <summary>amd64, version "go1.19.8", 4 CPUs.</summary>
    public static RuntimePlatform Amd64 { get; } = RuntimePlatform.ForArch("amd64", "go1.19.8", 4);

    /// <summary>The arena holding 0xc000000000 on amd64: (0xc000000000 − 0xffff800000000000) / 64 MiB.</summary>
    public const ulong Arena = 0x203000;

    public const string Header = """
        "go1.7 heap dump\n"        # header
        """;

    /// <summary>Params of <see cref="Amd64"/> without arenas.</summary>
    public const string ParamsNoArenas = """
        06                         # tag: params
        00                         # big-endian: false
        08                         # pointer size 8
        00                         # heap start: no arena in use
        00                         # heap end
        05 "amd64"                 # GOARCH
        08 "go1.19.8"              # build version
        04                         # ncpu
        """;

    /// <summary>Params of <see cref="Amd64"/> with the one arena <see cref="Arena"/>.</summary>
    public const string ParamsOneArena = """
        06                         # tag: params
        00                         # big-endian: false
        08                         # pointer size 8
        80 80 80 80 80 18          # heap start 0xc000000000 (0x18 << 35)
        80 80 80 a0 80 18          # heap end 0xc004000000 (+ 0x20 << 21 = 64 MiB)
        05 "amd64"                 # GOARCH
        08 "go1.19.8"              # build version
        04                         # ncpu
        """;

    /// <summary>Empty data and bss (address 0, no bytes, no fields).</summary>
    public const string EmptyRoots = """
        0c 00 00 00                # data: address 0, 0 bytes, end of fields
        0d 00 00 00                # bss: address 0, 0 bytes, end of fields
        """;

    /// <summary>MemStats of zeros.</summary>
    public const string ZeroMemStats = """
        0a                         # tag: memstats
        00*24                      # Alloc … PauseTotalNs
        00*256                     # PauseNs
        00                         # NumGC
        """;

    public const string Eof = """
        00                         # EOF
        """;

    /// <summary>What follows the goroutines in a state with nothing else: roots, memstats, EOF (291 bytes).</summary>
    public const string Tail = EmptyRoots + "\n" + ZeroMemStats + "\n" + Eof;

    public static byte[] Hex(params string[] parts) => AnnotatedHex.Parse(string.Join("\n", parts)).Bytes;

    public static RecordingDumpSink Record(RuntimeState state)
    {
        var sink = new RecordingDumpSink();
        HeapDumpWriter.Write(state, sink);
        return sink;
    }

    /// <summary>An in-use span of one page at <paramref name="baseAddress"/>, every byte <paramref name="fill"/>, no pointers, no free slot.</summary>
    public static HeapSpan Span(ulong baseAddress, ulong elemSize, byte fill = 0, int ptrSize = 8, ulong pages = 1)
    {
        var slots = (int)(pages * GoRuntime.PageSize / elemSize);
        var bytes = slots * (int)elemSize;
        var words = bytes / ptrSize;
        return new HeapSpan
        {
            Base = baseAddress,
            Pages = pages,
            State = SpanState.InUse,
            ElemSize = elemSize,
            ElemCount = slots,
            FreeSlots = BitVector.Zeros(slots),
            Memory = ImmutableArray.Create(Enumerable.Repeat(fill, bytes).ToArray()),
            Bits = new HeapBitmap(BitVector.Zeros(words), BitVector.Zeros(words)),
        };
    }
}
