using GoHeapDump.Testing;

namespace GoHeapDump.Fuzz;

/// <summary>
/// Small hand-built dumps for the fuzzer's starting corpus: every record kind, every header variant, in a few
/// hundred bytes each (AFL++ mutates small inputs far faster than the 20 KB and larger generated or real dumps,
/// which run-fuzz adds beside these). Written with the tests' shared DumpBytes builder (tests/Shared), whose uvarint encoder is its own.
/// </summary>
internal static class Seeds
{
    public static int Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var seeds = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["minimal-go17"] = Minimal("go1.7"),
            ["minimal-go16"] = Minimal("go1.6"),
            ["minimal-go15"] = Minimal("go1.5"),
            ["every-kind-go17"] = EveryKind("go1.7", bigEndian: false),
            ["every-kind-go15-big-endian"] = EveryKind("go1.5", bigEndian: true),
        };
        foreach (var (name, bytes) in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, name + ".dump"), bytes);
        }

        return seeds.Count;
    }

    private static byte[] Minimal(string version)
    {
        var b = DumpBytes.WithHeader(version);
        b.SeedParams(version, bigEndian: false, ptrSize: 8);
        b.VariedMemStats();
        b.Eof();
        return b.ToArray();
    }

    private static byte[] EveryKind(string version, bool bigEndian)
    {
        const ulong heap = 0xc000000000;
        var b = DumpBytes.WithHeader(version);
        b.SeedParams(version, bigEndian, ptrSize: 8);
        b.Type(0x4a0000, 16, "main.T");
        b.Itab(0x4b0000, 0x4a0000);
        b.Object(heap, 16, 0, 8);
        b.Object(heap + 16, 32);
        b.Goroutine(0xc000100000, sp: 0xc000200000, m: 0xc000300000, topDefer: 0xc000400000, topPanic: 0xc000500000);
        // Frames, defer, panic, finalizers and memprof field by field: their values are the seeds' own, not the helpers'.
        b.U(5).U(0xc000200000).U(0).U(0).Bytes(new byte[16]).U(0x402000).U(0x402010).U(0x402010).Str("main.main").U(1).U(8).U(0); // frame
        b.U(5).U(0xc000200010).U(1).U(0xc000200000).Bytes([]).U(0x403000).U(0x403004).U(0x403004).Str("runtime.main").U(0); // frame
        b.U(14).U(0xc000400000).U(0xc000100000).U(0xc000200000).U(0x402008).U(0).U(0).U(0); // defer
        b.U(15).U(0xc000500000).U(0xc000100000).U(0x4a0000).U(heap).U(0).U(0); // panic
        b.OsThread(0xc000300000, procId: 4242);
        b.Data(0x500000, 24, 16);
        b.Bss(0x600000, 8);
        b.U(7).U(heap).U(0x700000).U(0x701000).U(0x4a0000).U(0x4a0000); // finalizer
        b.U(11).U(heap + 16).U(0x700000).U(0x701000).U(0x4a0000).U(0x4a0000); // queued finalizer
        b.OtherRoot("legacy root", heap); // never written since 1.5; still a record kind
        b.VariedMemStats();
        b.U(16).U(0x800000).U(32).U(2).Str("main.alloc").Str("/src/main.go").U(12).Str("(0x1a2b)").Str("?").U(0).U(5).U(1); // memprof
        b.AllocSample(heap + 16, 0x800000);
        b.Eof();
        return b.ToArray();
    }

    private static DumpBytes SeedParams(this DumpBytes b, string version, bool bigEndian, ulong ptrSize)
    {
        b.U(6).Bool(bigEndian).U(ptrSize).U(0xc000000000).U(0xc004000000);
        _ = version == "go1.7" ? b.Str(bigEndian ? "s390x" : "amd64") : b.U(bigEndian ? 'z' : '6');
        return b.Str(version == "go1.7" ? "go1.19.8" : "").U(4);
    }

    /// <summary>A memstats record with varied values (not all zeros, so mutations of them matter).</summary>
    private static DumpBytes VariedMemStats(this DumpBytes b)
    {
        b.U(10);
        for (var i = 0; i < HeapDumpFormat.MemStatsValueCount; i++)
        {
            b.U((ulong)(i * 37 % 200));
        }

        return b;
    }
}
