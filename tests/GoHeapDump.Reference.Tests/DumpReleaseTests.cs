using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>
/// What the writer does differently per Go release (RuntimePlatform.Release), each expectation written by hand from the
/// release's runtime/heapdump.go and its heap metadata (spec/FORMAT.md "Go releases"), read back with the fast reader.
/// </summary>
public class DumpReleaseTests
{
    private const ulong Base = 0xc000000000;

    private static RuntimePlatform Amd64(int major, int minor, int patch = 0) => RuntimePlatform.ForRelease(new GoRelease(major, minor, patch), "amd64", 4);

    private static List<HeapDumpRecord> Records(RuntimeState state)
    {
        using var reader = HeapDumpReader.Open(new MemoryStream(HeapDumpWriter.ToBytes(state)));
        var records = new List<HeapDumpRecord>();
        while (reader.Read() is { } r)
        {
            records.Add(r);
        }

        return records;
    }

    [Theory]
    [InlineData(5, "go1.5 heap dump\n")]
    [InlineData(6, "go1.6 heap dump\n")]
    [InlineData(7, "go1.7 heap dump\n")]
    [InlineData(27, "go1.7 heap dump\n")]
    public void Write_Header_IsTheReleases(int minor, string header)
    {
        var bytes = HeapDumpWriter.ToBytes(new RuntimeState(Amd64(1, minor)));
        Assert.Equal(header, System.Text.Encoding.ASCII.GetString(bytes, 0, 16));
    }

    [Fact]
    public void Write_Go15Params_TheCharAndGoexperiment()
    {
        Bytes.Equal(
            Fixture.Hex(
                "\"go1.5 heap dump\\n\"",
                """
                06                         # tag: params
                00 08 00 00                # little-endian, 8-byte pointers, no arena
                36                         # thechar '6' (amd64), a uvarint
                00                         # GOEXPERIMENT ""
                04                         # ncpu
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(new RuntimeState(Amd64(1, 5, 4))));
    }

    [Theory]
    [InlineData(16, "")]
    [InlineData(17, "go1.17.13")]
    [InlineData(20, "go1.20.14")]
    public void Write_ParamsVersion_GoexperimentUntil116ThenBuildVersion(int minor, string expected)
    {
        var release = new GoRelease(1, minor, minor switch { 16 => 15, 17 => 13, _ => 14 });
        var p = Assert.IsType<ParamsRecord>(Records(new RuntimeState(RuntimePlatform.ForRelease(release, "arm")))[0]);
        Assert.Equal(expected, p.VersionInfo.ToString());
        Assert.Equal("arm", p.Arch?.ToString());
    }

    [Fact]
    public void Write_Go15Itab_NamesThePointerTypeOfAnIndirectType()
    {
        var ptr = new RuntimeType { Address = 0x5100, Str = "*main.T", Size = 8, PtrData = 8, DirectIface = true };
        var t = new RuntimeType { Address = 0x5000, Str = "main.T", Size = 24, DirectIface = false, PtrTo = ptr };
        var direct = new RuntimeType { Address = 0x5200, Str = "*main.U", Size = 8, PtrData = 8, DirectIface = true };
        RuntimeState State(int minor) => new(Amd64(1, minor), types: [t, ptr, direct], itabs: [new(0x9000, t), new(0x9010, direct)]);

        var old = Records(State(5));
        Assert.Equal([0x5100UL, 0x5200UL], old.OfType<ItabRecord>().Select(i => i.TypeAddress));
        Assert.Equal([0x5100UL, 0x5200UL], old.OfType<TypeRecord>().Select(r => r.Address));
        Assert.Equal([0x5000UL, 0x5200UL], Records(State(7)).OfType<ItabRecord>().Select(i => i.TypeAddress));
    }

    [Theory]
    [InlineData(17, "pkg.A,int]")]
    [InlineData(18, "pkg.Box[pkg.A,int]")]
    public void Write_GenericTypeName_BracketsCountFrom118(int minor, string expected)
    {
        var t = new RuntimeType { Address = 0x5000, Str = "*pkg.Box[pkg.A,int]", ExtraStar = true, Named = true, PkgPath = "pkg", Size = 16 };
        var type = Records(new RuntimeState(Amd64(1, minor), types: [t], itabs: [new(0x9000, t)])).OfType<TypeRecord>().Single();
        Assert.Equal(expected, type.Name.ToString());
    }

    /// <summary>Two 32-byte objects: A has pointer+scan words 0, 2, 3 and a dead word 1; B the same without word 0.</summary>
    private static RuntimeState FourWordObjects(GoRelease release)
    {
        var span = Fixture.Span(Base, 32) with
        {
            FreeSlots = BitVector.FromIndices(256, Enumerable.Range(2, 254).ToArray()),
            Bits = new HeapBitmap(BitVector.FromIndices(1024, 0, 2, 3, 6, 7), BitVector.FromIndices(1024, 0, 2, 3, 6, 7)),
        };
        return new RuntimeState(RuntimePlatform.ForRelease(release, "amd64"), arenas: [Fixture.Arena], spans: [span]);
    }

    [Theory]
    [InlineData(5, "0,16,24", "16,24")] // words 0 and 1 never end the object (mark and checkmark bits)
    [InlineData(7, "0,16,24", "")] // word 1 never ends it; B's word 0 does
    [InlineData(15, "0,16,24", "")]
    [InlineData(16, "0", "")] // the first dead word ends it
    [InlineData(19, "0", "")]
    [InlineData(20, "0,16,24", "16,24")] // 1-bit bitmap: every pointer bit of the slot
    [InlineData(21, "0,16,24", "16,24")]
    [InlineData(22, "0,16,24", "16,24")] // heap bits in the span for objects up to 512 bytes
    [InlineData(27, "0,16,24", "16,24")]
    public void Write_SmallObjectFields_FollowTheReleasesHeapBitmap(int minor, string a, string b)
    {
        var objects = Records(FourWordObjects(new GoRelease(1, minor, 1))).OfType<ObjectRecord>().ToList();
        Assert.Equal([a, b], objects.Select(o => string.Join(",", o.Fields.Select(f => f.Offset))));
    }

    /// <summary>
    /// Two 16-byte (two-word) objects: A with a dead word 0 and a pointer in word 1, B with a pointer in word 0 and a dead
    /// word 1. Before 1.16 the end-of-object test starts at word 2 (1.5/1.6) or tests word 0 only (1.7–1.15), so it
    /// never reaches a two-word object's word 1.
    /// </summary>
    [Theory]
    [InlineData(5, "8", "0")] // words 0 and 1 are taken whatever their scan bits say
    [InlineData(6, "8", "0")]
    [InlineData(7, "", "0")] // word 0's clear scan bit ends A before its first word
    [InlineData(15, "", "0")]
    [InlineData(16, "", "0")] // the first clear scan bit ends the object
    [InlineData(20, "8", "0")] // every pointer bit
    public void Write_TwoWordObjectFields_FollowTheReleasesEndOfObjectTest(int minor, string a, string b)
    {
        var span = Fixture.Span(Base, 16) with
        {
            FreeSlots = BitVector.FromIndices(512, Enumerable.Range(2, 510).ToArray()),
            Bits = new HeapBitmap(Pointer: BitVector.FromIndices(1024, 1, 2), Scan: BitVector.FromIndices(1024, 1, 2)),
        };
        var state = new RuntimeState(RuntimePlatform.ForRelease(new GoRelease(1, minor, 1), "amd64"), arenas: [Fixture.Arena], spans: [span]);
        var objects = Records(state).OfType<ObjectRecord>().ToList();
        Assert.Equal([a, b], objects.Select(o => string.Join(",", o.Fields.Select(f => f.Offset))));
    }

    [Fact]
    public void TheChar_GoarchWithoutOne_ThrowsNamingIt()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ReleaseProfile.TheChar("riscv64"));
        Assert.Contains("riscv64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Go122NoScanSpan_NoFieldsWhatever()
    {
        var span = Fixture.Span(Base, 32) with { NoScan = true, FreeSlots = BitVector.FromIndices(256, Enumerable.Range(1, 255).ToArray()) };
        var o = Records(new RuntimeState(Amd64(1, 22), arenas: [Fixture.Arena], spans: [span])).OfType<ObjectRecord>().Single();
        Assert.Empty(o.Fields);
    }

    [Fact]
    public void Write_Go122HeaderObject_TypeTiledFrom8ToTheSlotEnd()
    {
        // A 1024-byte slot whose header points at T (24 bytes, pointers at 0 and 16): T from offset 8 every 24 bytes, the
        // last copy cut at the slot's end: 8, 24, 32, 48, …, 992, 1008, 1016.
        var type = new RuntimeType { Address = 0x5000, Str = "main.T", Size = 24, PtrData = 24, GCMask = BitVector.Parse("101") };
        var memory = new byte[8 * 1024];
        BitConverter.GetBytes(0x5000UL).CopyTo(memory, 0);
        var span = Fixture.Span(Base, 1024) with
        {
            FreeSlots = BitVector.FromIndices(8, 1, 2, 3, 4, 5, 6, 7),
            Memory = ImmutableArray.Create(memory),
        };
        RuntimeState State(int minor) => new(Amd64(1, minor), arenas: [Fixture.Arena], spans: [span], types: [type]);

        var expected = Enumerable.Range(0, 43).SelectMany(k => new[] { 8 + (24 * k), 24 + (24 * k) }).Where(o => o < 1024).Select(o => (ulong)o);
        Assert.Equal(expected, Records(State(22)).OfType<ObjectRecord>().Single().Fields.Select(f => f.Offset));
        Assert.Equal(85, Records(State(22)).OfType<ObjectRecord>().Single().Fields.Count);

        // 1.21 reads the heap bitmap, which says nothing here.
        Assert.Empty(Records(State(21)).OfType<ObjectRecord>().Single().Fields);
    }

    [Fact]
    public void Write_Go122LargeObject_SpanTypeTiledThroughTheWholeSpan()
    {
        // Five pages (40,960 bytes), largeType = 16 bytes with a pointer in its second word: 2,560 fields, 8 to 40,952.
        var type = new RuntimeType { Address = 0x5000, Str = "main.P", Size = 16, PtrData = 16, GCMask = BitVector.Parse("01") };
        var span = Fixture.Span(Base, 40960, pages: 5) with { LargeType = type };
        var o = Records(new RuntimeState(Amd64(1, 22), arenas: [Fixture.Arena], spans: [span], types: [type])).OfType<ObjectRecord>().Single();
        Assert.Equal(2560, o.Fields.Count);
        Assert.Equal(8UL, o.Fields[0].Offset);
        Assert.Equal(40952UL, o.Fields[^1].Offset);
    }

    [Theory]
    [InlineData(24, true)]
    [InlineData(26, false)]
    public void Write_DeadExtraGoroutine_FatalUntil126ThenSkipped(int minor, bool fatal)
    {
        var state = new RuntimeState(Amd64(1, minor), goroutines: [new Goroutine { Address = 0x2000, Status = GoroutineStatus.DeadExtra, Goid = 1 }]);
        if (fatal)
        {
            Assert.Equal("dumpgs in STW - bad status", Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.ToBytes(state)).GoThrow);
        }
        else
        {
            Assert.Empty(Records(state).OfType<GoroutineRecord>());
        }
    }

    [Theory]
    [InlineData(24, false)]
    [InlineData(26, true)]
    public void Write_RunningGoroutineInASyscall_DumpedBeforeTheThrowFrom126(int minor, bool dumped)
    {
        // Its wait reason is longer than the 4 KiB buffer, so the record reaches the file before the throw: 1.26 dumps the
        // goroutine ("fallthrough" to the throw), 1.24 throws first.
        var state = new RuntimeState(
            Amd64(1, minor),
            goroutines: [new Goroutine { Address = 0x2000, Status = GoroutineStatus.Running, Goid = 1, SyscallSp = 0xc000041000, WaitReason = 1 }],
            waitReasonStrings: ["", new string('w', 5000)]);
        var e = Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.ToBytes(state));
        Assert.Equal("dumpgs in STW - bad status", e.GoThrow);
        Assert.Equal("runtime: unexpected G.status 0x2", e.RuntimePrint);
        Assert.Equal(dumped, e.BytesWritten > 5000);
    }

    [Fact]
    public void Validate_Go122LargeScanSpanWithoutType_Rejected()
    {
        var span = Fixture.Span(Base, 40960, pages: 5) with { Bits = new HeapBitmap(BitVector.FromIndices(5120, 0), BitVector.FromIndices(5120, 0)) };
        var e = Assert.Throws<ArgumentException>(() => new RuntimeState(Amd64(1, 22), arenas: [Fixture.Arena], spans: [span]));
        Assert.Contains("largeType", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Go122HeaderNotAType_Rejected()
    {
        var span = Fixture.Span(Base, 1024, fill: 0x11) with { FreeSlots = BitVector.FromIndices(8, 1, 2, 3, 4, 5, 6, 7) };
        var e = Assert.Throws<ArgumentException>(() => new RuntimeState(Amd64(1, 22), arenas: [Fixture.Arena], spans: [span]));
        Assert.Contains("malloc header", e.Message, StringComparison.Ordinal);
    }
}
