using GoHeapDump.Testing;

namespace GoHeapDump.Tests;

/// <summary>What only the fast reader has: the in-place view, S10 counting, buffer growth, files.</summary>
public class HeapDumpReaderTests
{
    private static HeapDumpReader Open(byte[] bytes, int bufferSize = HeapDumpReader.DefaultBufferSize) =>
        HeapDumpReader.Open(new MemoryStream(bytes), bufferSize: bufferSize);

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
        for (var size = HeapDumpReader.MinimumBufferSize; size <= dump.Length + 2; size++)
        {
            using var reader = Open(dump, size);
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
        foreach (var size in new[] { HeapDumpReader.MinimumBufferSize, 37, 4096 })
        {
            using var reader = Open(bytes, size);
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

    [Fact]
    public void MoveNext_MinimalMultiByteUvarints_NotCounted()
    {
        var dump = DumpBytes.WithHeader().Itab(0xc000012345, 0x7fffffffffffffff).Eof().ToArray();
        using var reader = Open(dump);
        Assert.True(reader.MoveNext());
        Assert.Equal(0, reader.Current.NonMinimalUvarints);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(4096)]
    public void Read_RecordLargerThanBuffer_GrowsAndDecodes(int bufferSize)
    {
        var big = new byte[100_000];
        new Random(7).NextBytes(big);
        var dump = DumpBytes.WithHeader().Params().U(1).U(0xc000000000).Bytes(big).Fields(0, 8, 99_992).Itab(1, 2).Eof().ToArray();
        using var reader = Open(dump, bufferSize);
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
