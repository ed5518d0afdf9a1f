using System.IO.Compression;
using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// What real producers legitimately write (FORMAT-FACTS) is never an error: each test builds a dump with
/// one such variation and expects no diagnostic at all, under the strict profile where the runtime does it.
/// </summary>
public class LegitimateVariationTests
{
    private const ulong Heap = 0xc000000000;

    private static ValidationReport Validate(byte[] dump, ValidationProfile profile = ValidationProfile.Strict) =>
        RuleTests.Validate(dump, profile);

    private static void AssertClean(ValidationReport report) =>
        Assert.True(report.Diagnostics.Count == 0, string.Join("\n", report.Diagnostics));

    [Fact]
    public void DuplicateTypeRecords_AreClean()
    {
        // The runtime's 256×4 type cache evicts, so the same type record is written again for a later itab.
        var dump = DumpBytes.WithHeader().Params()
            .Type(0x4a0000, 8, "main.T").Itab(0x4b0000, 0x4a0000)
            .Type(0x4a0000, 8, "main.T").Itab(0x4b0100, 0x4a0000)
            .MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void LossyTypeNames_AreClean()
    {
        // A pointer to a named type prints as "pkgpath." with nothing after the dot.
        var dump = DumpBytes.WithHeader().Params().Type(0x4a0000, 8, "main.").Itab(0x4b0000, 0x4a0000).MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void GccgoShapedDump_IsClean()
    {
        // gccgo: no frames, types, itabs, data or bss; version "unknown"; goroutine sp and ctxt 0; defers on
        // stacks with sp, pc and entry PC 0; finalizers are the only roots; memprof ends in (0x0) / ? / 0.
        var dump = DumpBytes.WithHeader().Params(version: "unknown")
            .Object(Heap, 32, 0, 8).Object(Heap + 32, 32)
            .Goroutine(0x3000, sp: 0, topDefer: 0x7000100, m: 0x5000)
            .U(14).U(0x7000100).U(0x3000).U(0).U(0).U(0x500000).U(0).U(0)
            .Goroutine(0x3100, sp: 0, goid: 2)
            .OsThread(0x5000)
            .Finalizer(Heap + 32)
            .MemStats(objects: 2, bytes: 64)
            .U(16).U(0x9000).U(64).U(2).Str("main.main").Str("main.go").U(12).Str("(0x0)").Str("?").U(0).U(1).U(0)
            .AllocSample(Heap, 0x9000)
            .Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void ZeroSizedFramesAndEmptyFieldLists_AreClean()
    {
        var dump = DumpBytes.WithHeader().Params().Goroutine(0x3000, sp: 0x8000)
            .Frame(0x8000, 0, 0, 0, "runtime.systemstack_switch")
            .Frame(0x8000, 1, 0x8000, 0, "runtime.mcall")
            .Frame(0x8000, 2, 0x8000, 48, "main.f", 0, 8, 40)
            .Frame(0x8030, 3, 0x8000, 16, "runtime.goexit")
            .MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void InteriorFinalizerAndSampleAddresses_AreClean()
    {
        // Tiny allocations share a 16-byte block: their finalizer and profile specials point inside it.
        var dump = DumpBytes.WithHeader().Params().Object(Heap, 16)
            .Finalizer(Heap + 4).QueuedFinalizer(Heap + 12)
            .MemStats().MemProf(0x9000).AllocSample(Heap + 8, 0x9000).Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    /// <summary>Any version string, with the shape of the producer it names: gccgo ("unknown") writes no data and bss, gc one of each (S18).</summary>
    [Theory]
    [InlineData("unknown", false)]
    [InlineData("go1.19.8", true)]
    [InlineData("devel go1.22-abcdef0 Tue Jan 2 15:04:05 2024 +0000 X:loopvar", true)]
    [InlineData("", true)]
    [InlineData("fieldtrack,framepointer", true)]
    [InlineData("a third-party writer", false)]
    public void AnyVersionString_IsClean(string version, bool gcShape)
    {
        var dump = DumpBytes.WithHeader().Params(version: version);
        if (gcShape)
        {
            dump = dump.Data(0x5a0000, 16).Bss(0x5b0000, 8);
        }

        AssertClean(Validate(dump.MemStats().Eof().ToArray()));
    }

    [Fact]
    public void NoMemProfButObjects_IsClean()
    {
        var dump = DumpBytes.WithHeader().Params().Object(Heap, 16).MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void ObjectsInSpanOrderNotAddressOrder_AreClean()
    {
        // dumpobjs walks allspans in allocation order: addresses ascend within a span only.
        var dump = DumpBytes.WithHeader().Params()
            .Object(Heap + 0x2000, 32).Object(Heap + 0x2020, 32).Object(Heap + 0x2060, 32)
            .Object(Heap, 16).Object(Heap + 0x10, 16)
            .Object(Heap + 0x4000, 0x2000)
            .MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void PointerFieldsWithAnyValues_AreClean()
    {
        // Pointer values may be interior, outside the heap or 0: contents are not interpreted.
        var contents = new byte[32];
        BitConverter.TryWriteBytes(contents.AsSpan(0), 0x1234UL);
        BitConverter.TryWriteBytes(contents.AsSpan(8), Heap + 3);
        var dump = DumpBytes.WithHeader().Params().U(1).U(Heap).Bytes(contents).Fields(0, 8, 16).MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void Go15HeaderItabWithZeroTypeAndNoTypeRecord_IsClean()
    {
        var dump = DumpBytes.WithHeader("go1.5").ParamsTheChar('8', ptrSize: 4, heapStart: 0x18000000, heapEnd: 0x18400000)
            .Itab(0x81000, 0).Object(0x18000000, 8, 0).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats(objects: 1, bytes: 8).Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void GoroutineWithSyscallStatusAndOpenCodedDefer_IsClean()
    {
        // Open-coded defers write FuncVal and PC as 0.
        var dump = DumpBytes.WithHeader().Params()
            .Goroutine(0x3000, sp: 0x8000, status: 3, m: 0x5000, topDefer: 0x8010, waitReason: "unknown wait reason")
            .Frame(0x8000, 0, 0, 32)
            .U(14).U(0x8010).U(0x3000).U(0x8000).U(0).U(0).U(0).U(0)
            .OsThread(0x5000).MemStats().Eof();
        AssertClean(Validate(dump.ToArray()));
    }

    [Fact]
    public void BigEndianParams_IsClean()
    {
        AssertClean(Validate(DumpBytes.WithHeader().Params(bigEndian: true, arch: "s390x").MemStats().Eof().ToArray()));
    }

    /// <summary>The real dumps committed under fixtures/real (gzip-compressed) validate clean in the default profile.</summary>
    [Fact]
    public void RealFixtureDumps_AreClean()
    {
        var directory = RepositoryRoot.Under("fixtures", "real");
        Assert.True(Directory.Exists(directory), $"{directory} is missing: the real corpus is part of the suite");
        var files = Directory.GetFiles(directory, "*.dump.gz", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            var report = HeapDumpValidator.Validate(stream, file, new ValidationOptions(),
                () => new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
            Assert.True(report.Conforms, $"{file}:\n{string.Join("\n", report.Diagnostics)}");
            Assert.True(report.ErrorCount == 0, file);
        }
    }
}
