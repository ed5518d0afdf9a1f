using GoHeapDump.Fixtures;

namespace GoHeapDump.Reference.Tests;

/// <summary>The record-level writer: hand-worked bytes for every record kind, header variants, and what it refuses.</summary>
public class RecordWriterTests
{
    private static void Encodes(HeapDumpRecord record, string annotated)
    {
        var expected = AnnotatedHex.Parse(annotated).Bytes;
        Bytes.Equal(expected, RecordWriter.Encode(record));
        Assert.Equal(expected.Length, RecordWriter.GetEncodedLength(record));
    }

    [Fact]
    public void Encode_Eof() => Encodes(EofRecord.Instance, "00");

    [Fact]
    public void Encode_ObjectWithLegacyFieldKinds() =>
        Encodes(
            new ObjectRecord(0x10, GoString.Copy([0xaa, 0xbb]), new[] { Field.Ptr(0), new Field(FieldKind.Iface, 8), new Field(FieldKind.Eface, 0x80) }),
            """
            01                 # object
            10                 # address
            02 aa bb           # contents
            01 00              # ptr @0
            02 08              # iface @8 (pre-1.5 kind)
            03 80 01           # eface @128
            00                 # end of fields
            """);

    [Fact]
    public void Encode_OtherRoot() =>
        Encodes(new OtherRootRecord("stack", 0x20), """02 05 "stack" 20""");

    [Fact]
    public void Encode_Type() =>
        Encodes(new TypeRecord(0x4a0000, 16, "main.T", true), """03 80 80 a8 02 10 06 "main.T" 01""");

    [Fact]
    public void Encode_Goroutine() =>
        Encodes(
            new GoroutineRecord(0x2000, 0x3000, 7, 0x401234, 4, true, false, 1000, "chan receive", 5, 6, 0x1000, 0x1200),
            """
            04 80 40 80 60 07 b4 a4 80 02   # address, sp, goid, gopc
            04 01 00                        # status, system, background
            e8 07                           # waitsince 1000
            0c "chan receive"
            05 06 80 20 80 24               # ctxt, m, top defer, top panic
            """);

    [Fact]
    public void Encode_StackFrame() =>
        Encodes(
            new StackFrameRecord(0x1000, 1, 0x0ff0, GoString.Copy([1, 2, 3, 4, 5, 6, 7, 8]), 0x401000, 0x401010, 0, "main.f", new[] { Field.Ptr(0) }),
            """
            05 80 20 01 f0 1f               # sp, depth, child sp 0xff0
            08 0102030405060708             # contents
            80 a0 80 02 90 a0 80 02 00      # entry, pc, continuation pc
            06 "main.f"
            01 00 00                        # ptr @0, end
            """);

    [Fact]
    public void Encode_ParamsWithArch() =>
        Encodes(
            ParamsRecord.WithArch(true, 4, 0x0a000000, 0x0b000000, "mips", "go1.19.8", 2),
            """06 01 04 80 80 80 50 80 80 80 58 04 "mips" 08 "go1.19.8" 02""");

    [Fact]
    public void Encode_ParamsWithTheChar_Go15Style() =>
        Encodes(
            ParamsRecord.WithTheChar(false, 8, 0xc000000000, 0xc004000000, '6', "", 8),
            """
            06 00 08
            80 80 80 80 80 18 80 80 80 a0 80 18
            36                 # thechar '6' as a uvarint
            00                 # GOEXPERIMENT ""
            08
            """);

    [Fact]
    public void Encode_Finalizers() =>
        Encodes(new FinalizerRecord(1, 2, 3, 4, 5), "07 01 02 03 04 05");

    [Fact]
    public void Encode_QueuedFinalizer() =>
        Encodes(new QueuedFinalizerRecord(1, 2, 3, 4, 5), "0b 01 02 03 04 05");

    [Fact]
    public void Encode_Itab() => Encodes(new ItabRecord(0x4b0000, 0), "08 80 80 ac 02 00");

    [Fact]
    public void Encode_OsThread() => Encodes(new OsThreadRecord(0x10, ulong.MaxValue, 1234), "09 10 ff ff ff ff ff ff ff ff ff 01 d2 09");

    [Fact]
    public void Encode_MemStats()
    {
        var pause = new ulong[256];
        pause[1] = 200;
        Encodes(
            new MemStatsRecord(Enumerable.Range(1, 24).Select(i => (ulong)i).ToArray(), pause, 3),
            """
            0a
            01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18
            00 c8 01 00*254    # PauseNs[1] = 200
            03
            """);
    }

    [Fact]
    public void Encode_DataAndBss()
    {
        Encodes(new DataRecord(0x5a0000, GoString.Copy([9, 9]), new[] { Field.Ptr(0) }), "0c 80 80 e8 02 02 09 09 01 00 00");
        Encodes(new BssRecord(0x5b0000, GoString.Empty, Array.Empty<Field>()), "0d 80 80 ec 02 00 00");
    }

    [Fact]
    public void Encode_DeferAndPanic()
    {
        Encodes(new DeferRecord(0x1000, 0x2000, 0x3000, 0, 0, 0, 0x1100), "0e 80 20 80 40 80 60 00 00 00 80 22");
        Encodes(new PanicRecord(0x1200, 0x2000, 0x4a0000, 0x6000, 0, 0), "0f 80 24 80 40 80 80 a8 02 80 c0 01 00 00");
    }

    [Fact]
    public void Encode_MemProf() =>
        Encodes(
            new MemProfRecord(0x7000, 32, new[] { new MemProfFrame("main.f", "/a.go", 10), new MemProfFrame("(0x1a2b)", "?", 0) }, 5, 2),
            """
            10 80 e0 01 20
            02                             # 2 frames
            06 "main.f" 05 "/a.go" 0a
            08 "(0x1a2b)" 01 "?" 00
            05 02
            """);

    [Fact]
    public void Encode_AllocSample() => Encodes(new AllocSampleRecord(0xc000000010, 0x7000), "11 90 80 80 80 80 18 80 e0 01");

    [Theory]
    [InlineData(HeaderVersion.Go15, "\"go1.5 heap dump\\n\"")]
    [InlineData(HeaderVersion.Go16, "\"go1.6 heap dump\\n\"")]
    [InlineData(HeaderVersion.Go17, "\"go1.7 heap dump\\n\"")]
    public void ToBytes_HeaderVariant_ThenRecordsInGivenOrder(HeaderVersion version, string header) =>
        Bytes.Equal(
            AnnotatedHex.Parse($"{header} 08 01 02  00  00").Bytes,
            RecordWriter.ToBytes(version, [new ItabRecord(1, 2), EofRecord.Instance, EofRecord.Instance]));

    [Fact]
    public void ToBytes_NoEof_WritesNone() =>
        Bytes.Equal(AnnotatedHex.Parse("\"go1.7 heap dump\\n\" 09 01 02 03").Bytes, RecordWriter.ToBytes(HeaderVersion.Go17, [new OsThreadRecord(1, 2, 3)]));

    [Fact]
    public void Write_RecordLargerThanPooledBuffer_Written()
    {
        var contents = new byte[100_000];
        contents[^1] = 0x42;
        var bytes = RecordWriter.ToBytes(HeaderVersion.Go17, [new ObjectRecord(1, new GoString(contents), Array.Empty<Field>())]);
        Assert.Equal(16 + 1 + 1 + 3 + 100_000 + 1, bytes.Length); // 100000 = a0 8d 06
        Assert.Equal([0xa0, 0x8d, 0x06], bytes[18..21]);
        Assert.Equal(0x42, bytes[^2]);
    }

    [Fact]
    public void Encode_ParamsWithBothArchAndTheChar_Throws() =>
        Assert.Throws<ArgumentException>(() => RecordWriter.Encode(new ParamsRecord(false, 8, 0, 0, "amd64", 6, "", 1)));

    [Fact]
    public void Encode_ParamsWithNeitherArchNorTheChar_Throws() =>
        Assert.Throws<ArgumentException>(() => RecordWriter.Encode(new ParamsRecord(false, 8, 0, 0, null, null, "", 1)));

    [Fact]
    public void Encode_EolInFieldList_Throws() =>
        Assert.Throws<ArgumentException>(() => RecordWriter.Encode(new ObjectRecord(1, GoString.Empty, new[] { new Field(FieldKind.Eol, 0) })));

    [Fact]
    public void Encode_DestinationTooShort_Throws() =>
        Assert.Throws<ArgumentException>(() => RecordWriter.Encode(new ItabRecord(1, 2), new byte[2]));
}
