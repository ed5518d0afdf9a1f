using GoHeapDump.Testing;

namespace GoHeapDump.Tests;

/// <summary>What only the fast reader has: the in-place view, S10 counting, buffer growth, files.</summary>
public class HeapDumpReaderTests
{
    private static HeapDumpReader Open(byte[] bytes, int bufferSize = HeapDumpReader.DefaultBufferSize, bool readAhead = false) =>
        HeapDumpReader.Open(new MemoryStream(bytes), leaveOpen: false, bufferSize, readAhead);

    [Fact]
    public void MoveNext_Object_ViewExposesValuesContentsAndFieldPositions()
    {
        // 16: 01 8020 10 <16 bytes at 20..35> 0100 0108 00: object 0x1000, ptr@0 (offset uvarint at 37), ptr@8 (at 39), eol at 40.
        var dump = DumpBytes.WithHeader().Hex("01 8020 10 01020304050607080000000000000000 0100 0108 00").Eof().ToArray();
        using var reader = Open(dump);
        Assert.True(reader.MoveNext());
        var view = reader.Current;
        Assert.Equal(RecordKind.Object, view.Kind);
        Assert.Equal(0, view.Index);
        Assert.Equal(16, view.Offset);
        Assert.Equal(25, view.Length);
        Assert.Equal(0x1000UL, view[ObjectValues.Address]);
        Assert.Equal(17, view.ValueOffset(ObjectValues.Address));
        Assert.Equal(19, view.ContentsLengthOffset);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0 }, view.Contents.ToArray());
        Assert.Equal(2, view.FieldCount);
        var fields = new List<FieldView>();
        foreach (var field in view.Fields)
        {
            fields.Add(field);
        }

        Assert.Equal([new FieldView(FieldKind.Ptr, 0, 37, 36), new FieldView(FieldKind.Ptr, 8, 39, 38)], fields);
        Assert.Equal(0, view.NonMinimalUvarints);
        Assert.Equal(-1, view.FirstNonMinimalUvarintOffset);
        Assert.True(reader.MoveNext());
        Assert.Equal(RecordKind.Eof, reader.Current.Kind);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void MoveNext_NonMinimalUvarints_CountedWithFirstOffset()
    {
        // itab at 16: tag 08, address 80 00 (non-minimal 0, at 17), type 81 80 00 (non-minimal 1, at 19); EOF 80 00 at 22.
        var dump = DumpBytes.WithHeader().Hex("08 8000 818000  8000").ToArray();
        using var reader = Open(dump);
        Assert.True(reader.MoveNext());
        Assert.Equal(2, reader.Current.NonMinimalUvarints);
        Assert.Equal(17, reader.Current.FirstNonMinimalUvarintOffset);
        Assert.Equal(1UL, reader.Current[ItabValues.TypeAddress]);
        Assert.True(reader.MoveNext());
        Assert.Equal(RecordKind.Eof, reader.Current.Kind);
        Assert.Equal(22, reader.Current.FirstNonMinimalUvarintOffset);
        Assert.Equal(3, reader.NonMinimalUvarintCount);
    }

    [Fact]
    public void MoveNext_NonMinimalEofAtEveryBufferBoundary_KeepsItsOffset()
    {
        // itab at 16..19 (tag 08, address 81 01 = 129, type 02), then EOF written non-minimally as 80 00 at 20..21.
        var dump = DumpBytes.WithHeader().Hex("08 8101 02  8000").ToArray();
        foreach (var (size, readAhead) in from size in Enumerable.Range(HeapDumpReader.MinimumBufferSize, dump.Length + 3 - HeapDumpReader.MinimumBufferSize)
                                          from readAhead in new[] { false, true }
                                          select (size, readAhead))
        {
            using var reader = Open(dump, size, readAhead);
            Assert.True(reader.MoveNext());
            Assert.True(reader.MoveNext());
            Assert.Equal(RecordKind.Eof, reader.Current.Kind);
            Assert.Equal(20, reader.Current.Offset);
            Assert.Equal(2, reader.Current.Length);
            Assert.Equal(20, reader.Current.FirstNonMinimalUvarintOffset);
            Assert.False(reader.MoveNext());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MoveNext_RandomUvarints_DecodeExactlyWhereverTheyFall(int seed)
    {
        // Values of every bit length, minimal and padded with 80…00 (non-minimal), in itab records so that some
        // are followed by 8+ buffered bytes (the word-at-a-time path) and some sit at the end of a small buffer.
        var random = new Random(seed);
        var dump = DumpBytes.WithHeader();
        var expected = new List<(ulong Value, bool Padded)>();
        for (var i = 0; i < 2000; i++)
        {
            var bits = random.Next(0, 65);
            var value = bits == 0 ? 0 : (ulong)random.NextInt64() >> (64 - bits) | (bits == 64 ? 1UL << 63 : 0);
            var minimalLength = value == 0 ? 1 : ((64 - System.Numerics.BitOperations.LeadingZeroCount(value)) + 6) / 7;
            var padded = minimalLength < 10 && random.Next(4) == 0;
            dump.U(8);
            if (padded)
            {
                // Continue the last group and add a zero group: the same value, one byte longer.
                var encoded = new DumpBytes().U(value).ToArray();
                encoded[^1] |= 0x80;
                dump.Hex(Convert.ToHexString(encoded) + "00");
            }
            else
            {
                dump.U(value);
            }

            dump.U(7);
            expected.Add((value, padded));
        }

        var bytes = dump.Eof().ToArray();
        foreach (var (size, readAhead) in from size in new[] { HeapDumpReader.MinimumBufferSize, 37, 4096 }
                                          from readAhead in new[] { false, true }
                                          select (size, readAhead))
        {
            using var reader = Open(bytes, size, readAhead);
            foreach (var (value, padded) in expected)
            {
                Assert.True(reader.MoveNext());
                Assert.Equal(value, reader.Current[ItabValues.Address]);
                Assert.Equal(7UL, reader.Current[ItabValues.TypeAddress]);
                Assert.Equal(padded ? 1 : 0, reader.Current.NonMinimalUvarints);
            }

            Assert.True(reader.MoveNext());
            Assert.False(reader.MoveNext());
        }
    }

    /// <summary>A file (seekable) read with and without the read-ahead thread, and a pipe; at buffer sizes around the records'.</summary>
    public static TheoryData<string, int> SkipCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var input in new[] { "file", "file, read ahead", "pipe" })
        {
            foreach (var size in new[] { HeapDumpReader.MinimumBufferSize, 64, 1500, 1 << 20 })
            {
                data.Add(input, size);
            }
        }

        return data;
    }

    private static HeapDumpReader OpenSkipping(byte[] dump, string input, int bufferSize, long limit)
    {
        Stream stream = input == "pipe" ? new PipeStream(dump, chunk: 100) : new MemoryStream(dump);
        var reader = HeapDumpReader.Open(stream, leaveOpen: false, bufferSize, readAhead: input == "file, read ahead");
        reader.ContentsLimit = limit;
        return reader;
    }

    [Theory]
    [MemberData(nameof(SkipCases))]
    public void MoveNext_ContentsOverTheLimit_SkippedWithOffsetsIntact(string input, int bufferSize)
    {
        // 16: object 01, address 80 01 (17-18), length e8 07 = 1000 (19-20), body 21..1020, ptr@8 at 1021-1022
        // (offset uvarint at 1022), ptr@992 as e0 07 at 1023..1025 (offset at 1024), eol 1026.
        // 1027: frame 05, sp 10, depth 00, child 00, length 96 01 = 150 (1031-1032), body 1033..1182,
        // entry 01, pc 02, cont 03 (1183-1185), name "f" (1186-1187), fields: ptr@0 non-minimal 80 00 (offset at 1189), eol.
        // 1192: EOF.
        var dump = DumpBytes.WithHeader()
            .U(1).U(128).Zeros(1000).Hex("0108 01e007 00")
            .U(5).U(16).U(0).U(0).Zeros(150).U(1).U(2).U(3).Str("f").Hex("01 8000 00")
            .Eof().ToArray();
        Assert.Equal(1193, dump.Length);
        using var reader = OpenSkipping(dump, input, bufferSize, limit: 100);

        Assert.True(reader.MoveNext());
        var obj = reader.Current;
        Assert.Equal(RecordKind.Object, obj.Kind);
        Assert.True(obj.ContentsSkipped);
        Assert.Equal(1000, obj.ContentsLength);
        Assert.True(obj.Contents.IsEmpty);
        Assert.Equal(16, obj.Offset);
        Assert.Equal(1011, obj.Length);
        Assert.Equal(19, obj.ContentsLengthOffset);
        Assert.Equal(17, obj.ValueOffset(ObjectValues.Address));
        var fields = new List<FieldView>();
        foreach (var f in obj.Fields)
        {
            fields.Add(f);
        }

        Assert.Equal([new FieldView(FieldKind.Ptr, 8, 1022, 1021), new FieldView(FieldKind.Ptr, 992, 1024, 1023)], fields);
        Assert.Equal(new FieldListSummary(2, true, true, 8 | 992, 992), obj.FieldSummary);
        Assert.Throws<NotSupportedException>(() => reader.Current.ToRecord());

        Assert.True(reader.MoveNext());
        var frame = reader.Current;
        Assert.Equal(RecordKind.StackFrame, frame.Kind);
        Assert.Equal(1027, frame.Offset);
        Assert.True(frame.ContentsSkipped);
        Assert.Equal(150, frame.ContentsLength);
        Assert.Equal(1183, frame.ValueOffset(StackFrameValues.EntryPc));
        Assert.Equal(3UL, frame[StackFrameValues.ContinuationPc]);
        Assert.Equal("f"u8.ToArray(), frame.Text.ToArray());
        Assert.Equal(1189, frame.FirstNonMinimalUvarintOffset);

        Assert.True(reader.MoveNext());
        Assert.Equal(RecordKind.Eof, reader.Current.Kind);
        Assert.Equal(1192, reader.Current.Offset);
        Assert.False(reader.MoveNext());
        Assert.Equal(1193, reader.Position);
    }

    [Theory]
    [MemberData(nameof(SkipCases))]
    public void MoveNext_SkippedContentsCutShort_TruncatedAtTheBody(string input, int bufferSize)
    {
        // object at 16, length 1000 at 19-20, body from 21; only 500 bytes of it.
        var dump = DumpBytes.WithHeader().U(1).U(128).Hex("e807").Hex(string.Concat(Enumerable.Repeat("00", 500))).ToArray();
        using var reader = OpenSkipping(dump, input, bufferSize, limit: 100);
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.MoveNext());
        Assert.Equal("S07", error.RuleId);
        Assert.Equal(21, error.Offset);
        Assert.Equal(RecordKind.Object, error.RecordKind);
    }

    [Theory]
    [MemberData(nameof(SkipCases))]
    public void MoveNext_BadFieldKindAfterSkippedContents_ReportedAtItsOffset(string input, int bufferSize)
    {
        // object at 16, body 21..1020, field kind 09 at 1021.
        var dump = DumpBytes.WithHeader().U(1).U(128).Zeros(1000).Hex("09 00 00").Eof().ToArray();
        using var reader = OpenSkipping(dump, input, bufferSize, limit: 100);
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.MoveNext());
        Assert.Equal("S06", error.RuleId);
        Assert.Equal(1021, error.Offset);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(100L)]
    public void MoveNext_HugeStringInAPipe_TruncatedAtItsBody(long limit)
    {
        // type at 16: address 00, size 00 (17-18), name length 2^40 (80 80 80 80 80 20 at 19..24), body at 25.
        var dump = DumpBytes.WithHeader().Hex("03 00 00 808080808020 6162").ToArray();
        using var reader = HeapDumpReader.Open(new PipeStream(dump, chunk: 100), bufferSize: 64);
        reader.ContentsLimit = limit;
        var error = Assert.Throws<HeapDumpFormatException>(() => reader.MoveNext());
        Assert.Equal("S07", error.RuleId);
        Assert.Equal(25, error.Offset);
    }

    [Fact]
    public void MoveNext_ContentsOverTheLimitAlreadyBuffered_BytesWithoutThem()
    {
        // object at 16: 01, address 80 01, length e8 07 = 1000, body, ptr@8 (01 08), eol 00. Wholly in a 1 MiB buffer.
        var dump = DumpBytes.WithHeader().U(1).U(128).Zeros(1000).Hex("0108 00").Eof().ToArray();
        using var reader = OpenSkipping(dump, "file", 1 << 20, limit: 100);
        Assert.True(reader.MoveNext());
        Assert.True(reader.Current.ContentsSkipped);
        Assert.Equal(1008, reader.Current.Length);
        Assert.Equal(Convert.FromHexString("018001E807010800"), reader.Current.Bytes.ToArray());
    }

    [Fact]
    public void MoveNext_ContentsAtTheLimit_AreKept()
    {
        var dump = DumpBytes.WithHeader().Object(128, 100).Eof().ToArray();
        using var reader = OpenSkipping(dump, "file", HeapDumpReader.MinimumBufferSize, limit: 100);
        Assert.True(reader.MoveNext());
        Assert.False(reader.Current.ContentsSkipped);
        Assert.Equal(100, reader.Current.Contents.Length);
    }

    [Fact]
    public void MoveNext_MinimalMultiByteUvarints_NotCounted()
    {
        var dump = DumpBytes.WithHeader().Itab(0xc000012345, 0x7fffffffffffffff).Eof().ToArray();
        using var reader = Open(dump);
        Assert.True(reader.MoveNext());
        Assert.Equal(0, reader.Current.NonMinimalUvarints);
    }

    [Theory]
    [InlineData(16, false)]
    [InlineData(17, false)]
    [InlineData(100, false)]
    [InlineData(4096, false)]
    [InlineData(16, true)]
    [InlineData(100, true)]
    [InlineData(4096, true)]
    public void Read_RecordLargerThanBuffer_GrowsAndDecodes(int bufferSize, bool readAhead)
    {
        var big = new byte[100_000];
        new Random(7).NextBytes(big);
        var dump = DumpBytes.WithHeader().Params().U(1).U(0xc000000000).Bytes(big).Fields(0, 8, 99_992).Itab(1, 2).Eof().ToArray();
        using var reader = Open(dump, bufferSize, readAhead);
        Assert.IsType<ParamsRecord>(reader.Read());
        var obj = Assert.IsType<ObjectRecord>(reader.Read());
        Assert.Equal(big, obj.Contents.Span.ToArray());
        Assert.Equal([Field.Ptr(0), Field.Ptr(8), Field.Ptr(99_992)], obj.Fields.ToArray());
        Assert.Equal(new ItabRecord(1, 2), reader.Read());
        Assert.Equal(EofRecord.Instance, reader.Read());
        Assert.Null(reader.Read());
    }

    [Fact]
    public void Open_File_ReadsLikeAStream()
    {
        var dump = DumpBytes.WithHeader().Params().Object(0xc000000000, 16, 0).Eof().ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"reader-{Guid.NewGuid():N}.dump");
        File.WriteAllBytes(path, dump);
        try
        {
            using var reader = HeapDumpReader.Open(path);
            Assert.Equal(dump.Length, reader.Length);
            var kinds = new List<RecordKind>();
            while (reader.MoveNext())
            {
                kinds.Add(reader.Current.Kind);
            }

            Assert.Equal([RecordKind.Params, RecordKind.Object, RecordKind.Eof], kinds);
            Assert.Equal(dump.Length, reader.Position);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Current_BeforeMoveNext_Throws()
    {
        using var reader = Open(DumpBytes.WithHeader().Eof().ToArray());
        Assert.Throws<InvalidOperationException>(() => reader.Current.Kind);
    }

    [Fact]
    public void MoveNext_MemProf_FramesEnumerateInPlace()
    {
        var dump = DumpBytes.WithHeader().MemProf(0x7000, frames: 3).Eof().ToArray();
        using var reader = Open(dump);
        Assert.True(reader.MoveNext());
        var lines = new List<ulong>();
        foreach (var frame in reader.Current.MemProfFrames)
        {
            Assert.Equal("main.main"u8.ToArray(), frame.FuncName.ToArray());
            lines.Add(frame.Line);
        }

        Assert.Equal([10UL, 11UL, 12UL], lines);
    }

    [Fact]
    public void MoveNext_Allocation_DoesNotGrowWithRecordCount()
    {
        var builder = DumpBytes.WithHeader().Params();
        for (var i = 0; i < 20_000; i++)
        {
            builder.Object(0xc000000000 + ((ulong)i * 32), 32, 0, 8);
        }

        var dump = builder.Eof().ToArray();
        using var reader = Open(dump, 4096);
        reader.MoveNext();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 0;
        while (reader.MoveNext())
        {
            count += reader.Current.FieldCount;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(40_000, count);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes over 20,000 records");
    }
}
