using System.Text;
using GoHeapDump.Testing;

namespace GoHeapDump.Contract.Tests;

/// <summary>
/// The <see cref="IHeapDumpReader"/> contract, written once: every parser of the suite must decode these
/// hand-written inputs to the hand-worked records, and reject the broken ones with the same rule at the same
/// offset (spec/FORMAT.md "Error offsets"). Subclasses supply the parser.
/// </summary>
public abstract class ReaderContractTests
{
    /// <summary>Opens a parser on <paramref name="input"/> (the header is read here; a bad one throws).</summary>
    protected abstract IHeapDumpReader Open(Stream input);

    private IHeapDumpReader Open(byte[] bytes) => Open(new MemoryStream(bytes, writable: false));

    // ---- A dump with every record kind, in hex worked out by hand (offsets on the left). ----

    private const string HeaderHex = "676f312e3720686561702064756d700a"; // 0: "go1.7 heap dump\n"

    private static readonly string EveryKindHex = HeaderHex + "\n" + """
        06 00 08 8020 8040 05 616d643634 00 02          # 16 params: le, ptr 8, heap 0x1000..0x2000, "amd64", "", ncpu 2
        03 a020 10 04 6d61696e 01                         # 31 type 0x1020 size 16 "main" iface-data-is-pointer
        08 c020 a020                                      # 41 itab 0x1040 -> type 0x1020
        01 8020 10 01020304050607080000000000000000 0100 0108 00   # 46 object 0x1000, 16 bytes, ptr@0 ptr@8
        02 04 726f6f74 8820                               # 71 other root "root" -> 0x1008
        04 8060 808001 01 10 04 00 00 00 05 736c656570 00 80a001 8062 8064  # 79 goroutine 0x3000
        05 808001 00 00 08 0000000000000000 20 24 24 09 6d61696e2e6d61696e 0100 00  # 105 frame
        0e 8062 8060 808001 30 00 00 00                   # 136 defer 0x3100
        0f 8064 8060 40 8820 00 00                        # 148 panic 0x3200
        09 80a001 00 64                                   # 158 os thread 0x5000 id 0 procid 100
        0c 800c 08 0000000000000000 0100 00               # 164 data 0x600, 8 bytes, ptr@0
        0d 800e 00 00                                     # 179 bss 0x700, empty
        07 8020 50 20 a020 a020                           # 184 finalizer on 0x1000
        0b 8020 50 20 00 00                               # 193 queued finalizer on 0x1000
        0a 0102030405060708090a0b0c0d0e0f101112131415161718   # 200 memstats: scalars 1..24
        """ + "\n" + string.Concat(Enumerable.Repeat("00", 256)) + "\n" + """
        07                                                # 481 num_gc 7
        10 80e001 20 02 0166 04612e676f 03 052830783029 013f 00 05 01  # 482 memprof 0x7000
        11 8020 80e001                                    # 507 alloc sample
        00                                                # 513 eof; length 514
        """;

    private static IReadOnlyList<HeapDumpRecord> EveryKindRecords() =>
    [
        ParamsRecord.WithArch(false, 8, 0x1000, 0x2000, "amd64", "", 2),
        new TypeRecord(0x1020, 16, "main", true),
        new ItabRecord(0x1040, 0x1020),
        new ObjectRecord(0x1000, new GoString([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0]), new[] { Field.Ptr(0), Field.Ptr(8) }),
        new OtherRootRecord("root", 0x1008),
        new GoroutineRecord(0x3000, 0x4000, 1, 0x10, 4, false, false, 0, "sleep", 0, 0x5000, 0x3100, 0x3200),
        new StackFrameRecord(0x4000, 0, 0, new GoString(new byte[8]), 0x20, 0x24, 0x24, "main.main", new[] { Field.Ptr(0) }),
        new DeferRecord(0x3100, 0x3000, 0x4000, 0x30, 0, 0, 0),
        new PanicRecord(0x3200, 0x3000, 0x40, 0x1008, 0, 0),
        new OsThreadRecord(0x5000, 0, 100),
        new DataRecord(0x600, new GoString(new byte[8]), new[] { Field.Ptr(0) }),
        new BssRecord(0x700, GoString.Empty, Array.Empty<Field>()),
        new FinalizerRecord(0x1000, 0x50, 0x20, 0x1020, 0x1020),
        new QueuedFinalizerRecord(0x1000, 0x50, 0x20, 0, 0),
        new MemStatsRecord(Enumerable.Range(1, 24).Select(i => (ulong)i).ToArray(), new ulong[256], 7),
        new MemProfRecord(0x7000, 0x20, new[] { new MemProfFrame("f", "a.go", 3), new MemProfFrame("(0x0)", "?", 0) }, 5, 1),
        new AllocSampleRecord(0x1000, 0x7000),
        EofRecord.Instance,
    ];

    // Record start offsets in EveryKindHex, from the comments above.
    private static readonly long[] EveryKindOffsets = [16, 31, 41, 46, 71, 79, 105, 136, 148, 158, 164, 179, 184, 193, 200, 482, 507, 513];

    [Fact]
    public void Read_EveryRecordKind_DecodesHandWorkedRecords()
    {
        var bytes = new DumpBytes().Hex(EveryKindHex).ToArray();
        Assert.Equal(514, bytes.Length);
        using var reader = Open(bytes);
        Assert.Equal(HeaderVersion.Go17, reader.Version);
        Assert.Equal(16, reader.Position);
        var expected = EveryKindRecords();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(i, reader.RecordIndex);
            Assert.Equal(EveryKindOffsets[i], reader.Position);
            var record = reader.Read();
            Assert.Equal(expected[i], record);
        }

        Assert.Equal(514, reader.Position);
        Assert.Null(reader.Read());
        Assert.Null(reader.Read());
    }

    [Fact]
    public void Read_NonSeekableStream_DecodesTheSameRecords()
    {
        var bytes = new DumpBytes().Hex(EveryKindHex).ToArray();
        using var reader = Open(new PipeStream(bytes, chunk: 7));
        var records = new List<HeapDumpRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        Assert.Equal(EveryKindRecords(), records);
    }

    [Theory]
    [InlineData("go1.5", '6')]
    [InlineData("go1.6", '8')]
    public void Read_Go15And16Header_ParamsCarryTheChar(string version, char theChar)
    {
        // 06 00 04 00 01 <thechar> 00 01: le, ptr 4, heap 0..1, thechar, GOEXPERIMENT "", ncpu 1; then EOF.
        var bytes = new DumpBytes().Ascii(version + " heap dump\n").Hex("06 00 04 00 01").U(theChar).Hex("00 01 00").ToArray();
        using var reader = Open(bytes);
        Assert.Equal(version == "go1.5" ? HeaderVersion.Go15 : HeaderVersion.Go16, reader.Version);
        Assert.Equal(ParamsRecord.WithTheChar(false, 4, 0, 1, theChar, "", 1), reader.Read());
        Assert.Equal(EofRecord.Instance, reader.Read());
        Assert.Null(reader.Read());
    }

    // ---- uvarints: values at every length boundary, and the accepted non-minimal forms. ----

    [Theory]
    [InlineData("zero", "00", 0UL)]
    [InlineData("127, largest 1-byte", "7f", 127UL)]
    [InlineData("128, smallest 2-byte", "8001", 128UL)]
    [InlineData("16383, largest 2-byte", "ff7f", 16383UL)]
    [InlineData("16384, smallest 3-byte", "808001", 16384UL)]
    [InlineData("2^56, 9 bytes", "808080808080808001", 72057594037927936UL)]
    [InlineData("2^63, 10 bytes", "80808080808080808001", 9223372036854775808UL)]
    [InlineData("max uint64, ff x9 01", "ffffffffffffffffff01", ulong.MaxValue)]
    [InlineData("non-minimal zero 80 00", "8000", 0UL)]
    [InlineData("non-minimal 1 padded to 10 bytes", "81808080808080808000", 1UL)]
    public void Read_UvarintEdges_DecodesValue(string description, string encoded, ulong value)
    {
        // An itab record: tag 08, address <encoded>, type 00; then EOF.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("08").Hex(encoded).Hex("00 00").ToArray();
        using var reader = Open(bytes);
        Assert.True(new ItabRecord(value, 0).Equals(reader.Read()), description);
        Assert.Equal(EofRecord.Instance, reader.Read());
    }

    // ---- structure violations: rule and offset, hand-worked. ----

    // The header is three fixed-size parts read in order: "go1." at 0, the minor digit at 4, " heap dump\n" at 5.
    // A part the input ends inside is S07 at the part's start (where its read began); a part that differs, S01 there.
    [Theory]
    [InlineData("first byte differs", "xo1.7 heap dump\n", "S01", 0)]
    [InlineData("go1. differs at its last byte", "go1,7 heap dump\n", "S01", 0)]
    [InlineData("minor version 8", "go1.8 heap dump\n", "S01", 4)]
    [InlineData("minor version 4", "go1.4 heap dump\n", "S01", 4)]
    [InlineData("suffix differs at its end", "go1.7 heap dumP\n", "S01", 5)]
    [InlineData("suffix missing its newline", "go1.7 heap dump ", "S01", 5)]
    [InlineData("empty input", "", "S07", 0)]
    [InlineData("ends inside go1.", "go", "S07", 0)]
    [InlineData("ends after go1.", "go1.", "S07", 4)]
    [InlineData("ends after the digit", "go1.7", "S07", 5)]
    [InlineData("ends inside the suffix", "go1.7 heap", "S07", 5)]
    [InlineData("ends one byte short", "go1.7 heap dump", "S07", 5)]
    [InlineData("short and wrong: the short part is truncated first", "gx1", "S07", 0)]
    [InlineData("wrong digit before a short suffix", "go1.9 he", "S01", 4)]
    [InlineData("short suffix, already wrong: still truncated", "go1.7 hx", "S07", 5)]
    public void Open_BadHeader_ThrowsRuleAtOffset(string description, string header, string rule, long offset)
    {
        var error = Assert.Throws<HeapDumpFormatException>(() => Open(Encoding.ASCII.GetBytes(header)));
        Assert.True(rule == error.RuleId, $"{description}: {error.Message}");
        Assert.True(offset == error.Offset, $"{description}: {error.Message}");
        Assert.Equal(-1, error.RecordIndex);
    }

    [Theory]
    // After the header (16 bytes): an itab record 08 <address> 00, so the address uvarint starts at 17.
    [InlineData("11-byte uvarint: 10th byte has the continuation bit", "08 ffffffffffffffffff ff 01 00", "S02", 26)]
    [InlineData("10 bytes of 80: 10th byte has the continuation bit", "08 80808080808080808080 00 00", "S02", 26)]
    [InlineData("10th byte is 2: overflows 64 bits", "08 ffffffffffffffffff 02 00", "S03", 26)]
    [InlineData("10th byte is 7f", "08 808080808080808080 7f 00", "S03", 26)]
    [InlineData("tag 18", "12", "S05", 16)]
    [InlineData("tag 2^14 in three bytes: the last byte", "808001", "S05", 18)]
    [InlineData("tag 127", "7f", "S05", 16)]
    [InlineData("type bool 2", "03 00 00 00 02", "S04", 20)]
    [InlineData("type bool 2, non-minimal 82 00: its last byte", "03 00 00 00 8200", "S04", 21)]
    [InlineData("goroutine is_system 3", "04 00 00 00 00 04 03", "S04", 22)]
    [InlineData("params big_endian 2", "06 02", "S04", 17)]
    [InlineData("object field kind 4", "01 00 00 01 00 04", "S06", 21)]
    [InlineData("object field kind 4 after a field", "01 00 00 01 00 01 08 04", "S06", 23)]
    [InlineData("data field kind 200 (c8 01): its last byte", "0c 00 00 c801", "S06", 20)]
    public void Read_BrokenRecord_ThrowsRuleAtOffset(string description, string recordHex, string rule, long offset)
    {
        var bytes = new DumpBytes().Hex(HeaderHex).Hex(recordHex).Hex("00").ToArray();
        using var reader = Open(bytes);
        var error = Assert.Throws<HeapDumpFormatException>(() => ReadAll(reader));
        Assert.True(rule == error.RuleId, $"{description}: {error.Message}");
        Assert.True(offset == error.Offset, $"{description}: {error.Message}");
        Assert.Equal(0, error.RecordIndex);
    }

    [Fact]
    public void Read_LegacyFieldKinds_AreAccepted()
    {
        // object 0x10, 16 bytes, iface@0 (02 00) eface@8 (03 08); then EOF.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("01 10 10 00000000000000000000000000000000 0200 0308 00 00").ToArray();
        using var reader = Open(bytes);
        var record = Assert.IsType<ObjectRecord>(reader.Read());
        Assert.Equal(new[] { new Field(FieldKind.Iface, 0), new Field(FieldKind.Eface, 8) }, record.Fields.ToArray());
    }

    [Fact]
    public void Read_BrokenSecondRecord_ReportsItsIndexAndKind()
    {
        // itab (16..18), then a type whose bool (at 23) is 5.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("08 00 00  03 00 00 00 05  00").ToArray();
        using var reader = Open(bytes);
        Assert.IsType<ItabRecord>(reader.Read());
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        Assert.Equal("S04", error.RuleId);
        Assert.Equal(23, error.Offset);
        Assert.Equal(1, error.RecordIndex);
        Assert.Equal(RecordKind.Type, error.RecordKind);
    }

    [Fact]
    public void Read_StringLongerThanInput_ThrowsTruncatedAtBodyWithoutAllocatingIt()
    {
        // object at 16: tag, address 00, contents length 2^40 (80 80 80 80 80 20) at 18..23; body would start at 24.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("01 00 808080808020 0102").ToArray();
        using var reader = Open(bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("S07", error.RuleId);
        Assert.Equal(24, error.Offset);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes for a hostile length");
    }

    [Fact]
    public void Read_HostileMemProfFrameCount_ThrowsTruncatedAtEnd()
    {
        // memprof at 16: address 00, size 00, frame count 2^62 (9 bytes), then one frame "", "", 0 and the input ends.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("10 00 00 808080808080808040 00 00 00").ToArray();
        using var reader = Open(bytes);
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        Assert.Equal("S07", error.RuleId);
        Assert.Equal(bytes.Length, error.Offset);
    }

    [Fact]
    public void Read_MissingEof_ThrowsMissingEofAtEndOfInput()
    {
        // params-free: one itab (16..18) and the input ends at 19.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("08 00 00").ToArray();
        using var reader = Open(bytes);
        Assert.IsType<ItabRecord>(reader.Read());
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        Assert.Equal("S08", error.RuleId);
        Assert.Equal(19, error.Offset);
        Assert.Equal(1, error.RecordIndex);
    }

    [Fact]
    public void Read_HeaderOnly_ThrowsMissingEofAt16()
    {
        using var reader = Open(new DumpBytes().Hex(HeaderHex).ToArray());
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        Assert.Equal("S08", error.RuleId);
        Assert.Equal(16, error.Offset);
        Assert.Equal(0, error.RecordIndex);
    }

    // Bytes after the EOF record fail the EOF record's read: the EOF record is not returned, and the error
    // (S09 at the first byte after it) carries the index after the EOF record's.
    [Theory]
    [InlineData("one byte after EOF", "00 00", 17, 1)]
    [InlineData("a whole record after EOF", "00 08 00 00 00", 17, 1)]
    [InlineData("garbage after itab and EOF", "08 00 00 00 ff", 20, 2)]
    public void Read_BytesAfterEof_ThrowsTrailingBytesInsteadOfEof(string description, string recordsHex, long offset, long index)
    {
        var bytes = new DumpBytes().Hex(HeaderHex).Hex(recordsHex).ToArray();
        using var reader = Open(bytes);
        var error = Assert.Throws<HeapDumpFormatException>(() =>
        {
            while (reader.Read() is { } record)
            {
                Assert.IsNotType<EofRecord>(record);
            }
        });
        Assert.True(error.RuleId == "S09", $"{description}: {error.Message}");
        Assert.Equal(offset, error.Offset);
        Assert.Equal(index, error.RecordIndex);
    }

    // A small dump for the truncation sweep, hand-annotated:
    //   0: header (16 bytes)
    //  16: 06 00 08 00 01 01 61 00 01     params: le, ptr 8, heap 0..1, arch "a" (len at 21, body at 22), version "" (23), ncpu 1 (24)
    //  25: 01 8001 02 aabb 0100 00        object: address 128 (26-27), length 2 (28), body 29-30, ptr@0 (31-32), eol (33)
    //  34: 00                             eof; length 35
    private static readonly string SmallHex = HeaderHex + "06 00 08 00 01 01 61 00 01  01 8001 02 aabb 0100 00  00";

    [Fact]
    public void Read_EveryTruncationOfASmallDump_ThrowsTheHandWorkedRuleAndOffset()
    {
        var full = new DumpBytes().Hex(SmallHex).ToArray();
        Assert.Equal(35, full.Length);
        for (var length = 0; length < full.Length; length++)
        {
            // Hand-worked: inside the header, the start of the part the input ends in (0, 4 or 5); between
            // records at 16, 25 and 34, S08; inside the object's 2-byte body at 30, the body's start, 29;
            // everywhere else the end of input (S07).
            var (rule, offset) = length switch
            {
                < 4 => ("S07", 0L),
                4 => ("S07", 4L),
                < 16 => ("S07", 5L),
                16 or 25 or 34 => ("S08", (long)length),
                30 => ("S07", 29L),
                _ => ("S07", (long)length),
            };
            var error = ReadUntilError(full.AsSpan(0, length).ToArray());
            Assert.True(error is not null, $"length {length}: no error");
            Assert.True(rule == error.RuleId && offset == error.Offset, $"length {length}: expected {rule} at {offset}, got {error.Message}");
        }
    }

    [Fact]
    public void Read_TruncatedInsideFirstString_ReportsBodyStart()
    {
        // params arch length 5 at 21, body would be 22..26, input ends at 24.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("06 00 08 00 01 05 616d").ToArray();
        var error = ReadUntilError(bytes);
        Assert.NotNull(error);
        Assert.Equal("S07", error.RuleId);
        Assert.Equal(22, error.Offset);
        Assert.Equal(RecordKind.Params, error.RecordKind);
    }

    [Fact]
    public void Read_AfterError_ThrowsAgain()
    {
        using var reader = Open(new DumpBytes().Hex(HeaderHex).Hex("12").ToArray());
        var first = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        var second = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        Assert.Equal(first.RuleId, second.RuleId);
        Assert.Equal(first.Offset, second.Offset);
    }

    [Fact]
    public void Read_InvalidUtf8Name_KeepsBytes()
    {
        // type 0, size 0, name ff fe (2 bytes, not UTF-8), bool 0; EOF.
        var bytes = new DumpBytes().Hex(HeaderHex).Hex("03 00 00 02 fffe 00 00").ToArray();
        using var reader = Open(bytes);
        var type = Assert.IsType<TypeRecord>(reader.Read());
        Assert.Equal(new byte[] { 0xff, 0xfe }, type.Name.Span.ToArray());
    }

    private HeapDumpFormatException? ReadUntilError(byte[] bytes)
    {
        try
        {
            using var reader = Open(bytes);
            ReadAll(reader);
            return null;
        }
        catch (HeapDumpFormatException e)
        {
            return e;
        }
    }

    private static void ReadAll(IHeapDumpReader reader)
    {
        while (reader.Read() is not null)
        {
        }
    }
}
