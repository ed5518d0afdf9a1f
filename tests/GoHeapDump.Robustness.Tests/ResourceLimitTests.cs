using GoHeapDump.Fuzz;
using GoHeapDump.Kaitai;
using GoHeapDump.Testing;
using GoHeapDump.Validation;

namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// Hostile lengths cost nothing beyond the file: a string of 2^62 bytes in a 45-byte file, a memprof frame count
/// of 2^40, a field list running to the end of the input, 10-byte uvarints everywhere. Each through the fast
/// reader (seekable and as a pipe), the Kaitai parser (both) and the validator, with what the thread allocated
/// measured (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) on a second run (the first pays for JIT).
/// </summary>
public class ResourceLimitTests
{
    /// <summary>Buffers of the parsers (the Kaitai stream's 64 KiB, the reader's pooled arrays) and small objects.</summary>
    private const long Small = 256 * 1024;

    /// <summary>header (16), params up to its arch string (1+1+1+6+6), a length of 2^62 (9 bytes), then "amd64".</summary>
    private static byte[] HugeArchString(byte[] length) => DumpBytes.WithHeader().U(6).U(0).U(8).U(0xc000000000).U(0xc004000000).Raw(length).Raw("amd64"u8.ToArray()).ToArray();

    public static TheoryData<string, byte[]> HugeLengths() => new()
    {
        { "2^62", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40] },
        { "2^64-1", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] },
        { "2^31", [0x80, 0x80, 0x80, 0x80, 0x08] },
        { "2^30 non-minimal", [0x80, 0x80, 0x80, 0x80, 0x84, 0x80, 0x80, 0x80, 0x80, 0x00] },
    };

    [Theory]
    [MemberData(nameof(HugeLengths))]
    public void HugeStringLength_SmallFile_S07AtTheBodyWithoutAllocatingIt(string what, byte[] length)
    {
        var dump = HugeArchString(length);
        Assert.True(dump.Length < 50, what);
        var body = dump.Length - 5; // the string's body would start at "amd64"
        foreach (var (name, parse) in Parsers())
        {
            HeapDumpFormatException? error = null;
            var allocated = Allocated(() => error = parse(dump));
            Assert.True(error is { RuleId: "S07" } && error.Offset == body, $"{name}: {FuzzTargets.Describe(error)}");
            Assert.True(allocated < Small, $"{name} allocated {allocated} bytes for a {dump.Length}-byte input declaring a {what}-byte string");
        }

        var report = Validate(dump, out var validatorAllocated);
        Assert.Equal("S07", report.StructureError?.RuleId);
        Assert.True(validatorAllocated < Small, $"validator allocated {validatorAllocated} bytes");
    }

    [Fact]
    public void MemProfFrameCount2Pow40_ThreeFramesThenEnd_S07AtTheEndWithoutAllocatingFrames()
    {
        var b = DumpBytes.WithHeader().Params(ncpu: 4).U(16).U(0x800000).U(64).U(1UL << 40);
        for (var i = 0; i < 3; i++)
        {
            b.Str("main.f").Str("main.go").U((ulong)i);
        }

        var dump = b.ToArray();
        foreach (var (name, parse) in Parsers())
        {
            HeapDumpFormatException? error = null;
            var allocated = Allocated(() => error = parse(dump));
            Assert.True(error is { RuleId: "S07" } && error.Offset == dump.Length, $"{name}: {FuzzTargets.Describe(error)}");
            Assert.True(allocated < Small, $"{name} allocated {allocated} bytes for a frame count of 2^40");
        }

        Assert.Equal("S07", Validate(dump, out var validatorAllocated).StructureError?.RuleId);
        Assert.True(validatorAllocated < Small, $"validator allocated {validatorAllocated} bytes");
    }

    /// <summary>
    /// A field list has no count: its length is the file's. Doubling the list doubles what each parser allocates
    /// (linear, within the fuzz budgets per input byte), and the input's end is S07 there.
    /// </summary>
    [Fact]
    public void FieldListRunningToTheEnd_CostGrowsLinearlyWithTheFile()
    {
        byte[] Dump(int entries)
        {
            var b = DumpBytes.WithHeader().Params(ncpu: 4).U(1).U(0xc000000000).Bytes(new byte[8]);
            for (var i = 0; i < entries; i++)
            {
                b.U(1).U(8);
            }

            return b.ToArray();
        }

        var small = Dump(50_000);
        var large = Dump(100_000);
        foreach (var (name, parse) in Parsers())
        {
            var perByte = name.StartsWith("Kaitai", StringComparison.Ordinal) ? FuzzTargets.KaitaiPerByte : FuzzTargets.FastPerByte;
            HeapDumpFormatException? error = null;
            var a = Allocated(() => error = parse(small));
            Assert.True(error is { RuleId: "S07" } && error.Offset == small.Length, $"{name}: {FuzzTargets.Describe(error)}");
            var b = Allocated(() => error = parse(large));
            Assert.True(error is { RuleId: "S07" } && error.Offset == large.Length, $"{name}: {FuzzTargets.Describe(error)}");
            Assert.True(b < FuzzTargets.FixedAllowance + (perByte * large.Length), $"{name}: {b} bytes for {large.Length}");
            Assert.True(b < (3 * a) + Small, $"{name}: {a} bytes for {small.Length} input bytes, {b} for {large.Length}: not linear");
        }
    }

    /// <summary>Every uvarint of a dump with every record kind in its longest form: the same records, S10 per record.</summary>
    [Fact]
    public void TenByteUvarintsEverywhere_SameRecordsAsTheShortestEncoding()
    {
        var minimal = EveryKind(padded: false);
        var padded = EveryKind(padded: true);
        Assert.True(padded.Length > 5 * minimal.Length);
        foreach (var open in new Func<Stream, IHeapDumpReader>[] { s => HeapDumpReader.Open(s), s => KaitaiHeapDumpReader.Open(s) })
        {
            Assert.Equal(Records(open, minimal), Records(open, padded));
        }

        FuzzTargets.All(padded);
        var report = HeapDumpValidator.Validate(new MemoryStream(padded), "padded");
        Assert.True(report.Conforms, string.Join("\n", report.Diagnostics));
        Assert.Equal(Records(s => HeapDumpReader.Open(s), padded).Count, report.CountsByRule["S10"]);
        Assert.Equal(["S10"], report.CountsByRule.Keys);
    }

    private static byte[] EveryKind(bool padded)
    {
        const ulong heap = 0xc000000000;
        var b = DumpBytes.WithHeader(padded: padded).Params(ncpu: 4);
        b.U(3).U(0x4a0000).U(16).Str("main.T").U(1);
        b.U(8).U(0x4b0000).U(0x4a0000);
        b.U(1).U(heap).Bytes(new byte[16]).U(1).U(0).U(1).U(8).U(0);
        b.U(4).U(0xc000100000).U(0xc000200000).U(1).U(0x401000).U(4).U(0).U(0).U(0).Str("chan receive").U(0).U(0xc000300000).U(0).U(0);
        b.U(5).U(0xc000200000).U(0).U(0).Bytes(new byte[16]).U(0x402000).U(0x402010).U(0x402010).Str("main.main").U(1).U(8).U(0);
        b.U(9).U(0xc000300000).U(0).U(4242);
        b.U(12).U(0x500000).Bytes(new byte[24]).U(1).U(16).U(0);
        b.U(13).U(0x600000).Bytes(new byte[8]).U(0);
        b.U(7).U(heap).U(0x700000).U(0x701000).U(0x4a0000).U(0x4a0000);
        b.MemStats();
        b.U(16).U(0x800000).U(32).U(1).Str("main.alloc").Str("/src/main.go").U(12).U(5).U(1);
        b.U(17).U(heap + 8).U(0x800000);
        b.U(0);
        return b.ToArray();
    }

    private static List<HeapDumpRecord> Records(Func<Stream, IHeapDumpReader> open, byte[] dump)
    {
        using var reader = open(new MemoryStream(dump));
        var records = new List<HeapDumpRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Each parser, seekable and as a pipe, run to its end: the error that stopped it (null: accepted).</summary>
    private static IEnumerable<(string Name, Func<byte[], HeapDumpFormatException?> Parse)> Parsers()
    {
        yield return ("fast reader, seekable", d => Drain(() => HeapDumpReader.Open(new MemoryStream(d), leaveOpen: false, bufferSize: 64)));
        yield return ("fast reader, pipe", d => Drain(() => HeapDumpReader.Open(new PipeStream(d, chunk: 7), leaveOpen: false, bufferSize: 64)));
        yield return ("Kaitai parser, seekable", d => Drain(() => KaitaiHeapDumpReader.Open(new MemoryStream(d))));
        yield return ("Kaitai parser, pipe", d => Drain(() => KaitaiHeapDumpReader.Open(new PipeStream(d, chunk: 7))));
    }

    private static HeapDumpFormatException? Drain(Func<IHeapDumpReader> open)
    {
        try
        {
            using var reader = open();
            while (reader.Read() is not null)
            {
            }

            return null;
        }
        catch (HeapDumpFormatException e)
        {
            return e;
        }
    }

    private static ValidationReport Validate(byte[] dump, out long allocated)
    {
        ValidationReport? report = null;
        allocated = Allocated(() => report = HeapDumpValidator.Validate(new MemoryStream(dump), "crafted", new ValidationOptions { BufferSize = 64 }));
        return report!;
    }

    /// <summary>Bytes the thread allocated on the second of two runs (the first pays for JIT and type loading).</summary>
    private static long Allocated(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
