using GoHeapDump.Testing;
using System.Text;

namespace GoHeapDump.Kaitai.Tests;

// Byte offsets in these tests are counted by hand: the header is bytes 0..15, so the first record's tag is
// at 16; comments give the offset of each field.
public class KaitaiHeapDumpReaderTests
{
    private const string Go17 = "676f312e3720686561702064756d700a"; // "go1.7 heap dump\n"

    private static (List<HeapDumpRecord> Records, HeapDumpFormatException? Error, HeaderVersion? Version) ReadAll(byte[] bytes, bool pipe = false)
    {
        var records = new List<HeapDumpRecord>();
        Stream stream = pipe ? new PipeStream(bytes, chunk: 7) : new MemoryStream(bytes);
        try
        {
            using var reader = KaitaiHeapDumpReader.Open(stream);
            while (reader.Read() is { } record)
            {
                records.Add(record);
            }

            return (records, null, reader.Version);
        }
        catch (HeapDumpFormatException e)
        {
            return (records, e, null);
        }
    }

    private static HeapDumpFormatException ReadError(string hex, bool pipe = false)
    {
        var (_, error, _) = ReadAll(DumpBuilder.Hex(hex), pipe);
        Assert.NotNull(error);
        return error;
    }

    private static void AssertError(HeapDumpFormatException e, string rule, long offset, long recordIndex, RecordKind? kind, string? specPath)
    {
        Assert.Equal(rule, e.RuleId);
        Assert.Equal(offset, e.Offset);
        Assert.Equal(recordIndex, e.RecordIndex);
        Assert.Equal(kind, e.RecordKind);
        Assert.Equal(specPath, e.SpecPath);
    }

    // ------------------------------------------------------------------ whole dumps

    [Theory]
    [InlineData("go1.7", false)]
    [InlineData("go1.7", true)]
    [InlineData("go1.5", false)]
    [InlineData("go1.5", true)]
    public void Read_EveryRecordKind_DecodesEveryFieldAsWritten(string version, bool pipe)
    {
        var dump = version == "go1.7" ? SampleDumps.EveryKindGo17() : SampleDumps.EveryKindGo15();

        var (records, error, parsedVersion) = ReadAll(dump.ToArray(), pipe);

        Assert.Null(error);
        Assert.Equal(version == "go1.7" ? HeaderVersion.Go17 : HeaderVersion.Go15, parsedVersion);
        Assert.Equal(18, records.Count);
        Assert.Equal(dump.Expected, records);
    }

    [Fact]
    public void Read_AfterEof_ReturnsNullAndReportsPosition()
    {
        // itab at 16: tag 08, address 01 (17), type 01 (18); EOF 00 at 19.
        using var reader = KaitaiHeapDumpReader.Open(new MemoryStream(DumpBuilder.Hex(Go17 + "08 01 01 00")));
        Assert.Equal(HeaderVersion.Go17, reader.Version);
        Assert.Equal(16, reader.Position);
        Assert.Equal(new ItabRecord(1, 1), reader.Read());
        Assert.Equal(19, reader.Position);
        Assert.Equal(1, reader.RecordIndex);
        Assert.Same(EofRecord.Instance, reader.Read());
        Assert.Equal(20, reader.Position);
        Assert.Null(reader.Read());
        Assert.Null(reader.Read());
    }

    [Fact]
    public void Read_Go16HeaderWithTheChar_DecodesParams()
    {
        // params at 16: big_endian 01, ptr_size 04, heap_start 00, heap_end 00, thechar '8' (0x38), version_info "" (00), ncpu 02.
        var bytes = DumpBuilder.Hex("676f312e3620686561702064756d700a" + "06 01 04 00 00 38 00 02 00");
        var (records, error, version) = ReadAll(bytes);
        Assert.Null(error);
        Assert.Equal(HeaderVersion.Go16, version);
        Assert.Equal(ParamsRecord.WithTheChar(true, 4, 0, 0, '8', "", 2), records[0]);
    }

    [Fact]
    public void Open_File_ReadsFromDisk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kaitai-reader-{Guid.NewGuid():N}.dump");
        File.WriteAllBytes(path, SampleDumps.EveryKindGo17().ToArray());
        try
        {
            using var reader = KaitaiHeapDumpReader.Open(path);
            var count = 0;
            while (reader.Read() is not null)
            {
                count++;
            }

            Assert.Equal(18, count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => KaitaiHeapDumpReader.Open(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.dump")));
    }

    // ------------------------------------------------------------------ uvarints (Go: encoding/binary.Uvarint)

    [Theory]
    [InlineData("FF FF FF FF FF FF FF FF FF 01", 18446744073709551615UL)] // 64 bits set
    [InlineData("FF FF FF FF FF FF FF FF FF 00", 9223372036854775807UL)]  // 63 bits; a 10th byte 00 is legal (non-minimal)
    [InlineData("80 80 80 80 80 80 80 80 80 01", 9223372036854775808UL)]  // bit 63 alone
    [InlineData("80 00", 0UL)]                                            // non-minimal zero, accepted
    [InlineData("80 80 80 80 80 80 80 80 80 00", 0UL)]                    // ten-byte zero, accepted
    [InlineData("AC 02", 300UL)]                                          // 0x2c + 2<<7
    public void Read_UvarintEdges_DecodeLikeEncodingBinary(string encoding, ulong expected)
    {
        // itab at 16: address = the encoding, type_address 01, then EOF.
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "08" + encoding + "01 00"));
        Assert.Null(error);
        Assert.Equal(new RecordList { new ItabRecord(expected, 1), EofRecord.Instance }, records);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TenthUvarintByteAboveOne_ReportsOverflowAtTenthByte(bool pipe)
    {
        // itab tag at 16, address at 17..26: FF x9 02; the 10th byte is at 17 + 9 = 26.
        var e = ReadError(Go17 + "08 FF FF FF FF FF FF FF FF FF 02 01 00", pipe);
        AssertError(e, "S03", 26, 0, RecordKind.Itab, "/types/record/seq/2 > /types/itab_record/seq/0 > /types/uvarint/seq/9");
    }

    [Fact]
    public void Read_TenthUvarintByte7F_ReportsOverflow()
    {
        var e = ReadError(Go17 + "08 80 80 80 80 80 80 80 80 80 7F 01 00");
        AssertError(e, "S03", 26, 0, RecordKind.Itab, "/types/record/seq/2 > /types/itab_record/seq/0 > /types/uvarint/seq/9");
    }

    [Theory]
    [InlineData("FF FF FF FF FF FF FF FF FF FF 01")] // 11 bytes
    [InlineData("80 80 80 80 80 80 80 80 80 80 00")] // 11-byte zero
    [InlineData("FF FF FF FF FF FF FF FF FF 81")]    // 10th byte continues, input ends right after it
    public void Read_UvarintLongerThanTenBytes_ReportsTooLongAtTenthByte(string encoding)
    {
        var e = ReadError(Go17 + "08" + encoding);
        AssertError(e, "S02", 26, 0, RecordKind.Itab, "/types/record/seq/2 > /types/itab_record/seq/0 > /types/uvarint/seq/9");
    }

    [Fact]
    public void Read_InputEndsInsideUvarint_ReportsTruncationAtEndOfInput()
    {
        // itab at 16, address FF FF at 17..18, input ends at 19, where its third byte (b2) belongs.
        var e = ReadError(Go17 + "08 FF FF");
        AssertError(e, "S07", 19, 0, RecordKind.Itab, "/types/record/seq/2 > /types/itab_record/seq/0 > /types/uvarint/seq/2");
    }

    [Fact]
    public void Read_NonMinimalTag_IsAccepted()
    {
        // tag 81 00 = 1 (object) at 16..17, address 01, contents "" (00), fields: eol (00); EOF.
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "81 00 01 00 00 00"));
        Assert.Null(error);
        Assert.Equal(new RecordList { new ObjectRecord(1, GoString.Empty, Array.Empty<Field>()), EofRecord.Instance }, records);
    }

    // ------------------------------------------------------------------ bools, tags, field kinds

    [Theory]
    [InlineData("02", 20)]    // type at 16: address 01 (17), size 01 (18), name "" (19), bool 02 at 20
    [InlineData("82 00", 21)] // bool 2 written in two bytes at 20..21: the last byte
    [InlineData("FF FF FF FF FF FF FF FF FF 01", 29)]
    public void Read_BoolNotZeroOrOne_ReportsBoolValueAtLastByte(string encoding, long offset)
    {
        var e = ReadError(Go17 + "03 01 01 00" + encoding + "00");
        AssertError(e, "S04", offset, 0, RecordKind.Type, "/types/record/seq/2 > /types/type_record/seq/3 > /types/go_bool/seq/1");
    }

    [Fact]
    public void Read_NonMinimalTrue_IsAccepted()
    {
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "03 01 01 00 81 00 00"));
        Assert.Null(error);
        Assert.Equal(new TypeRecord(1, 1, GoString.Empty, true), records[0]);
    }

    [Theory]
    [InlineData("12", 16)]                            // 18
    [InlineData("92 01", 17)]                         // 146, last byte at 17
    [InlineData("FF FF FF FF FF FF FF FF FF 01", 25)] // 2^64 - 1
    public void Read_UnknownTag_ReportsUnknownTagAtLastByte(string tag, long offset)
    {
        var e = ReadError(Go17 + tag + "00");
        AssertError(e, "S05", offset, 0, null, "/types/record/seq/1");
    }

    [Fact]
    public void Read_UnknownTagAfterRecords_KeepsRecordsAndIndex()
    {
        // itab 08 01 01 at 16..18, then tag 7f at 19.
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "08 01 01 7f"));
        Assert.Equal(new RecordList { new ItabRecord(1, 1) }, records);
        AssertError(error!, "S05", 19, 1, null, "/types/record/seq/1");
    }

    [Theory]
    [InlineData("04", 19)]       // object at 16: address 01 (17), contents "" (18), field kind 04 at 19
    [InlineData("01 00 05", 21)] // ptr@0 at 19..20, then kind 05 at 21
    [InlineData("84 00", 20)]    // kind 4 in two bytes at 19..20
    public void Read_UnknownFieldKind_ReportsUnknownFieldKindAtLastByte(string fields, long offset)
    {
        var e = ReadError(Go17 + "01 01 00" + fields + "00 00");
        AssertError(e, "S06", offset, 0, RecordKind.Object,
            "/types/record/seq/2 > /types/object_record/seq/2 > /types/field_list/seq/0 > /types/field/seq/1");
    }

    [Fact]
    public void Read_LegacyFieldKinds_AreAccepted()
    {
        // object: address 01, contents "", fields iface@0 (02 00), eface@16 (03 10), eol.
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "01 01 00 02 00 03 10 00 00"));
        Assert.Null(error);
        Assert.Equal(new ObjectRecord(1, GoString.Empty, new[] { new Field(FieldKind.Iface, 0), new Field(FieldKind.Eface, 16) }), records[0]);
    }

    // ------------------------------------------------------------------ header

    [Theory]
    [InlineData("go1.5 heap dump\n", HeaderVersion.Go15)]
    [InlineData("go1.6 heap dump\n", HeaderVersion.Go16)]
    [InlineData("go1.7 heap dump\n", HeaderVersion.Go17)]
    public void Open_EachHeaderVariant_IsAccepted(string header, HeaderVersion expected)
    {
        var (records, error, version) = ReadAll([.. Encoding.ASCII.GetBytes(header), 0x00]);
        Assert.Null(error);
        Assert.Equal(expected, version);
        Assert.Equal(new RecordList { EofRecord.Instance }, records);
    }

    [Theory]
    [InlineData("Go1.7 heap dump\n", 0, 0)]
    [InlineData("go2.7 heap dump\n", 0, 0)]
    [InlineData("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 0, 0)]
    [InlineData("go1.8 heap dump\n", 4, 1)]
    [InlineData("go1.4 heap dump\n", 4, 1)]
    [InlineData("go1.1 heap dump\n", 4, 1)]   // a two-digit minor ("go1.10") fails at its first digit
    [InlineData("go1.9", 4, 1)]              // the digit is checked before the rest is read
    [InlineData("go1.7 heap dumq\n", 5, 2)]
    [InlineData("go1.7 heap dump\r", 5, 2)]
    [InlineData("go1.7\nheap dump\n", 5, 2)]
    [InlineData("go1.7 Heap Dump\n", 5, 2)]
    public void Open_BadHeader_ReportsHeaderMagicAtDifferingPart(string header, long offset, int part)
    {
        var (_, error, _) = ReadAll([.. Encoding.ASCII.GetBytes(header), 0x00]);
        Assert.NotNull(error);
        AssertError(error, "S01", offset, -1, null, $"/types/dump_header/seq/{part}");
    }

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("go1", 0, 0)]
    [InlineData("gx1", 0, 0)]                // too short to compare the first part: a truncation
    [InlineData("go1.", 4, 1)]
    [InlineData("go1.7", 5, 2)]
    [InlineData("go1.7 heap dump", 5, 2)]
    [InlineData("go1.7 heap dumX", 5, 2)]
    public void Open_ShortHeader_ReportsTruncationAtIncompletePart(string header, long offset, int part)
    {
        var (_, error, _) = ReadAll(Encoding.ASCII.GetBytes(header));
        Assert.NotNull(error);
        AssertError(error, "S07", offset, -1, null, $"/types/dump_header/seq/{part}");
    }

    // ------------------------------------------------------------------ end of input

    [Fact]
    public void Read_HeaderOnly_ReportsMissingEofAfterHeader()
    {
        var e = ReadError(Go17);
        AssertError(e, "S08", 16, 0, null, null);
    }

    [Fact]
    public void Read_InputEndsInsideMultiByteTag_ReportsTruncationNotMissingEof()
    {
        // itab 16..18, then the first byte of a two-byte tag (81) at 19: the input ends inside a uvarint, at 20.
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "08 01 01 81"));
        Assert.Equal(new RecordList { new ItabRecord(1, 1) }, records);
        AssertError(error!, "S07", 20, 1, null, "/types/record/seq/0 > /types/uvarint/seq/1");
    }

    [Fact]
    public void Read_BytesAfterEof_ReportsTrailingBytesInsteadOfEof()
    {
        // itab 16..18, EOF at 19, trailing 00 at 20.
        var (records, error, _) = ReadAll(DumpBuilder.Hex(Go17 + "08 01 01 00 00"));
        Assert.Equal(new RecordList { new ItabRecord(1, 1) }, records);
        AssertError(error!, "S09", 20, 2, null, "/seq/2");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_AfterFailure_ThrowsTheSameError(bool pipe)
    {
        using var reader = KaitaiHeapDumpReader.Open(pipe ? new PipeStream(DumpBuilder.Hex(Go17 + "12")) : new MemoryStream(DumpBuilder.Hex(Go17 + "12")));
        var first = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        var second = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        Assert.Same(first, second);
    }

    public static TheoryData<string, bool> CutCases() => new()
    {
        { "go1.7", false }, { "go1.7", true }, { "go1.5", false }, { "go1.5", true },
    };

    [Theory]
    [MemberData(nameof(CutCases))]
    public void Read_DumpCutAtEveryOffset_ReportsTruncationWhereTheMissingBytesStart(string version, bool pipe)
    {
        var dump = version == "go1.7" ? SampleDumps.EveryKindGo17() : SampleDumps.EveryKindGo15();
        var bytes = dump.ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            var expected = dump.CutAt(length);
            var (records, error, _) = ReadAll(bytes[..length], pipe);

            Assert.True(error is not null, $"cut at {length}: no error");
            var actual = new DumpBuilder.ExpectedCut(error.RuleId, error.Offset, error.RecordIndex, error.RecordKind, error.SpecPath, records.Count);
            Assert.True(expected == actual, $"cut at {length}: expected {expected}, got {actual}");
            Assert.Equal(dump.Expected.Take(records.Count), records);
        }
    }

    // ------------------------------------------------------------------ hostile lengths

    public static TheoryData<string, bool, long> HugeStringCases() => new()
    {
        // contents length 2^62 = 80 x8 40 at 18..26: the body would start at 27.
        { "80 80 80 80 80 80 80 80 40", false, 27 },
        { "80 80 80 80 80 80 80 80 40", true, 27 },
        // 2^64 - 1 at 18..27: body at 28.
        { "FF FF FF FF FF FF FF FF FF 01", false, 28 },
        { "FF FF FF FF FF FF FF FF FF 01", true, 28 },
    };

    [Theory]
    [MemberData(nameof(HugeStringCases))]
    public void Read_StringLongerThanInput_ReportsTruncationAtBodyWithoutAllocating(string length, bool pipe, long bodyOffset)
    {
        // object at 16: address 01 (17), contents length at 18, then 64 KiB of bytes that are there.
        var bytes = DumpBuilder.Hex(Go17 + "01 01" + length).Concat(new byte[64 * 1024]).ToArray();
        using var reader = KaitaiHeapDumpReader.Open(pipe ? new PipeStream(bytes, 4096) : new MemoryStream(bytes));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertError(e, "S07", bodyOffset, 0, RecordKind.Object, "/types/record/seq/2 > /types/object_record/seq/1 > /types/go_string/seq/1");
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Read_HugeLengthOnPipe_AllocatesInProportionToTheInput()
    {
        // A 2^40-byte claim over 3 MiB of actual input: the body buffer may grow with the input, not with the claim.
        var bytes = DumpBuilder.Hex(Go17 + "01 01" + "80 80 80 80 80 80 80 80 01").Concat(new byte[3 << 20]).ToArray();
        using var reader = KaitaiHeapDumpReader.Open(new PipeStream(bytes, 65536));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<HeapDumpFormatException>(() => reader.Read());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("S07", e.RuleId);
        Assert.Equal(27, e.Offset);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes for 3 MiB of input");
    }

    [Fact]
    public void Read_HugeFrameCount_ReadsFramesUntilInputEnds()
    {
        // mem_prof at 16: address 01 (17), size 01 (18), num_frames 2^64-1 at 19..28, one frame "" "" 0 at 29..31,
        // input ends at 32 inside the second frame's func_name length.
        var e = ReadError(Go17 + "10 01 01 FF FF FF FF FF FF FF FF FF 01 00 00 00");
        AssertError(e, "S07", 32, 0, RecordKind.MemProf,
            "/types/record/seq/2 > /types/mem_prof_record/seq/3 > /types/mem_prof_frame/seq/0 > /types/go_string/seq/0 > /types/uvarint/seq/0");
    }

    [Fact]
    public void Read_ZeroFramesThenTruncatedAllocs_PointsAtAllocs()
    {
        // mem_prof: address 01, size 01, num_frames 00 (19), input ends at 20 where allocs starts.
        var e = ReadError(Go17 + "10 01 01 00");
        AssertError(e, "S07", 20, 0, RecordKind.MemProf, "/types/record/seq/2 > /types/mem_prof_record/seq/4 > /types/uvarint/seq/0");
    }

    /// <summary>A record list whose collection initializer reads well in assertions.</summary>
    private sealed class RecordList : List<HeapDumpRecord>;
}
