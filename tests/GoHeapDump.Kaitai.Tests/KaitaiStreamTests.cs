using GoHeapDump.Testing;
using System.IO.Compression;
using Kaitai;

namespace GoHeapDump.Kaitai.Tests;

public class KaitaiStreamTests
{
    /// <summary>The same bytes as every kind of source: array, seekable stream, and a pipe that trickles 1 byte per read.</summary>
    public static TheoryData<string> Sources() => ["array", "seekable", "pipe"];

    private static KaitaiStream Open(string source, byte[] bytes) => source switch
    {
        "array" => new KaitaiStream(bytes),
        "seekable" => new KaitaiStream(new MemoryStream(bytes)),
        "pipe" => new KaitaiStream(new PipeStream(bytes, chunk: 1)),
        _ => throw new ArgumentException(source, nameof(source)),
    };

    // ------------------------------------------------------------------ integers

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadIntegers_KnownBytes_DecodeBothByteOrders(string source)
    {
        byte[] bytes = [0xfe, 0x01, 0x02, 0x01, 0x02, 0x03, 0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff, 0xfe];
        using var io = Open(source, [.. bytes, .. bytes]);

        Assert.Equal(0xfe, io.ReadU1());
        Assert.Equal(0x0201, io.ReadU2le());
        Assert.Equal(0x04030201u, io.ReadU4le());
        Assert.Equal(0x0807060504030201ul, io.ReadU8le());
        Assert.Equal(-257, io.ReadS2le()); // ff fe little-endian = 0xfeff
        Assert.Equal(-2, io.ReadS1());
        Assert.Equal(0x0102, io.ReadU2be());
        Assert.Equal(0x01020304u, io.ReadU4be());
        Assert.Equal(0x0102030405060708ul, io.ReadU8be());
        Assert.Equal(-2, io.ReadS2be());  // ff fe big-endian
        Assert.True(io.IsEof);
        Assert.Equal(34, io.Pos);
    }

    [Fact]
    public void ReadSignedAndFloats_KnownBytes_Decode()
    {
        using var io = new KaitaiStream([
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // s8le -1
            0x80, 0, 0, 0, 0, 0, 0, 0,                      // s8be long.MinValue
            0xfe, 0xff, 0xff, 0xff,                         // s4le -2
            0x80, 0, 0, 0,                                  // s4be int.MinValue
            0x00, 0x00, 0x80, 0x3f,                         // f4le 1.0
            0x40, 0x00, 0x00, 0x00,                         // f4be 2.0
            0, 0, 0, 0, 0, 0, 0xf0, 0x3f,                   // f8le 1.0
            0xc0, 0, 0, 0, 0, 0, 0, 0,                      // f8be -2.0
        ]);
        Assert.Equal(-1L, io.ReadS8le());
        Assert.Equal(long.MinValue, io.ReadS8be());
        Assert.Equal(-2, io.ReadS4le());
        Assert.Equal(int.MinValue, io.ReadS4be());
        Assert.Equal(1.0f, io.ReadF4le());
        Assert.Equal(2.0f, io.ReadF4be());
        Assert.Equal(1.0, io.ReadF8le());
        Assert.Equal(-2.0, io.ReadF8be());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadU4le_ThreeBytesLeft_ThrowsEndOfStreamAtReadStart(string source)
    {
        using var io = Open(source, [1, 2, 3, 4, 5]);
        io.ReadU2le();
        var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadU4le());
        Assert.Equal(2, e.Position);
        Assert.Equal(4, e.Requested);
        Assert.Equal(3, e.Available);
        Assert.IsAssignableFrom<EndOfStreamException>(e);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadU1_AtEnd_ThrowsEndOfStreamAtEnd(string source)
    {
        using var io = Open(source, [7]);
        Assert.Equal(7, io.ReadU1());
        var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadU1());
        Assert.Equal(1, e.Position);
    }

    // ------------------------------------------------------------------ byte arrays

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBytes_AcrossManyBufferRefills_ReturnsExactBytes(string source)
    {
        var bytes = new byte[200_000];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        using var io = Open(source, bytes);
        Assert.Equal(bytes[0], io.ReadU1());
        Assert.Equal(bytes[1..100_001], io.ReadBytes(100_000L));
        Assert.Equal(bytes[100_001], io.ReadU1());
        Assert.Equal(bytes[100_002..], io.ReadBytes((ulong)(bytes.Length - 100_002)));
        Assert.True(io.IsEof);
        Assert.Empty(io.ReadBytes(0L));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBytes_MoreThanRemain_ThrowsAtReadStartWithoutAllocating(string source)
    {
        using var io = Open(source, new byte[1000]);
        io.ReadBytes(10L);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadBytes(1L << 40));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10, e.Position);
        Assert.Equal(1L << 40, e.Requested);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ReadBytes_UlongBeyondLongRange_ThrowsEndOfStream()
    {
        using var io = new KaitaiStream(new byte[4]);
        var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadBytes(ulong.MaxValue));
        Assert.Equal(0, e.Position);
    }

    [Fact]
    public void ReadBytes_Negative_ThrowsArgumentOutOfRange()
    {
        using var io = new KaitaiStream(new byte[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => io.ReadBytes(-1L));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBytesFull_ReadsTheRest(string source)
    {
        using var io = Open(source, [1, 2, 3, 4, 5]);
        io.ReadU1();
        Assert.Equal(new byte[] { 2, 3, 4, 5 }, io.ReadBytesFull());
        Assert.True(io.IsEof);
        Assert.Empty(io.ReadBytesFull());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBytesTerm_Variants_FollowIncludeConsumeAndEosFlags(string source)
    {
        byte[] bytes = [(byte)'a', (byte)'b', 0, (byte)'c', 0, (byte)'d'];
        using (var io = Open(source, bytes))
        {
            Assert.Equal("ab"u8.ToArray(), io.ReadBytesTerm(0, false, true, true));
            Assert.Equal(3, io.Pos);
            Assert.Equal(new byte[] { (byte)'c', 0 }, io.ReadBytesTerm(0, true, true, true));
            Assert.Equal(5, io.Pos);
            Assert.Equal("d"u8.ToArray(), io.ReadBytesTerm(0, false, true, false)); // ends without terminator: returns what was read
            Assert.True(io.IsEof);
        }

        using (var io = Open(source, bytes))
        {
            Assert.Equal("ab"u8.ToArray(), io.ReadBytesTerm(0, false, false, true));
            Assert.Equal(2, io.Pos); // terminator not consumed
            Assert.Equal(0, io.ReadU1());
        }

        using (var io = Open(source, bytes))
        {
            io.ReadBytes(5L);
            var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadBytesTerm(0, false, true, true));
            Assert.Equal(5, e.Position);
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBytesTermMulti_MatchesWholeUnitsOnly(string source)
    {
        // UTF-16LE "a\0" then the terminator 00 00 on a unit boundary; "61 00 00 62" must not match across units.
        byte[] bytes = [0x61, 0x00, 0x00, 0x62, 0x00, 0x00, 0x63, 0x00];
        using (var io = Open(source, bytes))
        {
            Assert.Equal(new byte[] { 0x61, 0x00, 0x00, 0x62 }, io.ReadBytesTermMulti([0, 0], false, true, true));
            Assert.Equal(6, io.Pos);
            Assert.Equal(new byte[] { 0x63, 0x00 }, io.ReadBytesTermMulti([0, 0], false, true, false));
        }

        using (var io = Open(source, bytes))
        {
            Assert.Equal(new byte[] { 0x61, 0x00, 0x00, 0x62, 0x00, 0x00 }, io.ReadBytesTermMulti([0, 0], true, false, true));
            Assert.Equal(4, io.Pos);
        }

        using (var io = Open(source, [0x61, 0x00, 0x62]))
        {
            var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadBytesTermMulti([0, 0], false, true, true));
            Assert.Equal(0, e.Position);
        }
    }

    // ------------------------------------------------------------------ positions

    [Theory]
    [MemberData(nameof(Sources))]
    public void Seek_ForwardAndWithinBuffer_MovesPosition(string source)
    {
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        using var io = Open(source, bytes);
        io.Seek(50);
        Assert.Equal(50, io.ReadU1());
        Assert.Equal(51, io.Pos);
        io.Seek(51);
        Assert.Equal(51, io.ReadU1());
        io.Seek(150);
        Assert.True(io.IsEof);
        var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadU1());
        Assert.Equal(150, e.Position);
    }

    [Theory]
    [InlineData("array")]
    [InlineData("seekable")]
    public void Seek_Backwards_RereadsOnSeekableSources(string source)
    {
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        using var io = Open(source, bytes);
        io.Seek(150);
        io.Seek(3);
        Assert.Equal(3, io.ReadU1());
        io.ReadBytes(90L);
        io.Seek(0);
        Assert.Equal(0, io.ReadU1());
        Assert.Equal(100, io.Size);
    }

    [Fact]
    public void Seek_BackBeyondBufferOfPipe_ThrowsNotSupported()
    {
        using var io = new KaitaiStream(new PipeStream(new byte[200_000]));
        io.ReadBytes(150_000L);
        Assert.Throws<NotSupportedException>(() => io.Seek(0));
        Assert.Throws<NotSupportedException>(() => io.Size);
    }

    [Fact]
    public void Pos_BeyondFourGiB_IsExactAndReadsTheRightByte()
    {
        const long length = (5L << 30) + 123;
        using var io = new KaitaiStream(new SyntheticStream(length));
        var target = (4L << 30) + 17;
        io.Seek(target);
        Assert.Equal(SyntheticStream.ByteAt(target), io.ReadU1());
        Assert.Equal(target + 1, io.Pos);
        Assert.Equal(length, io.Size);
        io.Seek(length - 2);
        Assert.Equal(new[] { SyntheticStream.ByteAt(length - 2), SyntheticStream.ByteAt(length - 1) }, io.ReadBytes(2L));
        Assert.True(io.IsEof);
        var e = Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadBytes(1L << 33));
        Assert.Equal(length, e.Position);
    }

    [Fact]
    public void Positions_AreRelativeToWhereTheStreamWas()
    {
        var stream = new MemoryStream([9, 9, 1, 2, 3]) { Position = 2 };
        using var io = new KaitaiStream(stream);
        Assert.Equal(0, io.Pos);
        Assert.Equal(3, io.Size);
        Assert.Equal(1, io.ReadU1());
        io.Seek(2);
        Assert.Equal(3, io.ReadU1());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void MemoryGuard_RunsEveryGuardIntervalOfReadU1Bytes_AcrossRefillsReadsAndSeeks(string source)
    {
        // 3 stream buffers' worth (64 KiB each), so refills fall between guard calls; the pipe refills every byte.
        var size = (3 * 64 * 1024) + 123;
        using var io = Open(source, new byte[size]);
        var calls = new List<long>();
        io.MemoryGuard = () => calls.Add(io.Pos);

        // The guard runs before the byte at its position is read, once the interval is reached.
        for (var i = 0; i < (2 * KaitaiStream.GuardInterval) + 1; i++)
        {
            io.ReadU1();
        }

        Assert.Equal([0, KaitaiStream.GuardInterval, 2 * KaitaiStream.GuardInterval], calls);

        // Bytes read by ReadBytes do not run it, but the next ReadU1 past the due position does, at once.
        io.ReadBytes((long)KaitaiStream.GuardInterval);
        Assert.Equal(3, calls.Count);
        io.ReadU1();
        Assert.Equal((3 * KaitaiStream.GuardInterval) + 1, calls[^1]);

        // Across a buffer boundary (64 KiB in the stream sources) and after a forward seek.
        io.Seek((64 * 1024) - 10);
        io.ReadU1();
        Assert.Equal((64 * 1024) - 10, calls[^1]);
        for (var i = 0; i < KaitaiStream.GuardInterval; i++)
        {
            io.ReadU1();
        }

        Assert.Equal((64 * 1024) - 10 + KaitaiStream.GuardInterval, calls[^1]);

        // Removed: no more calls.
        var before = calls.Count;
        io.MemoryGuard = null;
        for (var i = 0; i < 2 * KaitaiStream.GuardInterval; i++)
        {
            io.ReadU1();
        }

        Assert.Equal(before, calls.Count);
    }

    [Fact]
    public void MemoryGuard_Throwing_StopsTheReadBeforeTheByte()
    {
        using var io = new KaitaiStream(new byte[] { 1, 2, 3 });
        io.ReadU1();
        io.MemoryGuard = () => throw new InsufficientMemoryException("guard");

        Assert.Throws<InsufficientMemoryException>(() => io.ReadU1());
        Assert.Equal(1, io.Pos);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void LastReadStart_IsTheStartOfTheLastNonEmptyRead(string source)
    {
        using var io = Open(source, new byte[20]);
        io.ReadU1();
        Assert.Equal(0, io.LastReadStart);
        io.ReadBytes(5L);
        Assert.Equal(1, io.LastReadStart);
        io.ReadBytes(0L);
        Assert.Equal(1, io.LastReadStart);
        io.ReadU4be();
        Assert.Equal(6, io.LastReadStart);
        io.ReadU1();
        Assert.Equal(10, io.LastReadStart);
        io.Seek(20);
        Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadU1());
        Assert.Equal(20, io.LastReadStart);
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsStreamOpen()
    {
        var stream = new MemoryStream([1, 2]);
        new KaitaiStream(stream, leaveOpen: true).Dispose();
        Assert.True(stream.CanRead);
        new KaitaiStream(stream).Dispose();
        Assert.False(stream.CanRead);
    }

    // ------------------------------------------------------------------ bits

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBitsIntBe_TakesMostSignificantBitsFirst(string source)
    {
        // 1010_1100 0101_0011: 101 | 0_1100 01 | 01_0011
        using var io = Open(source, [0xac, 0x53]);
        Assert.Equal(0b101ul, io.ReadBitsIntBe(3));
        Assert.Equal(0b0110001ul, io.ReadBitsIntBe(7));
        Assert.False(io.IsEof); // six bits remain buffered
        Assert.Equal(0b010011ul, io.ReadBitsIntBe(6));
        Assert.True(io.IsEof);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ReadBitsIntLe_TakesLeastSignificantBitsFirst(string source)
    {
        // 0xac = 1010_1100: low 3 bits 100; then its high 5 bits 10101 and 0x53's low 2 bits 11 above them; then 010100.
        using var io = Open(source, [0xac, 0x53]);
        Assert.Equal(0b100ul, io.ReadBitsIntLe(3));
        Assert.Equal(0b11_10101ul, io.ReadBitsIntLe(7));
        Assert.Equal(0b010100ul, io.ReadBitsIntLe(6));
    }

    [Fact]
    public void ReadBitsInt_SixtyFourBits_Unaligned()
    {
        using (var io = new KaitaiStream([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11]))
        {
            Assert.Equal(0x1ul, io.ReadBitsIntBe(4));
            Assert.Equal(0x23456789abcdef01ul, io.ReadBitsIntBe(64));
            Assert.Equal(0ul, io.ReadBitsIntBe(0));
        }

        using (var io = new KaitaiStream([1, 2, 3, 4, 5, 6, 7, 8]))
        {
            Assert.Equal(0x0807060504030201ul, io.ReadBitsIntLe(64));
        }
    }

    [Fact]
    public void AlignToByte_DropsBufferedBits()
    {
        using var io = new KaitaiStream([0xff, 0x0f]);
        Assert.Equal(1ul, io.ReadBitsIntBe(1));
        io.AlignToByte();
        Assert.Equal(0x0ful, io.ReadBitsIntBe(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => io.ReadBitsIntBe(65));
    }

    [Fact]
    public void ReadBitsIntBe_AtEnd_ThrowsEndOfStream()
    {
        using var io = new KaitaiStream([0xff]);
        Assert.Throws<KaitaiEndOfStreamException>(() => io.ReadBitsIntBe(9));
    }

    // ------------------------------------------------------------------ helpers

    [Fact]
    public void BytesHelpers_StripTerminateCompare()
    {
        Assert.Equal(new byte[] { 1, 2 }, KaitaiStream.BytesStripRight([1, 2, 0, 0], 0));
        Assert.Empty(KaitaiStream.BytesStripRight([0, 0], 0));
        Assert.Equal(new byte[] { 1 }, KaitaiStream.BytesTerminate([1, 0, 2, 0], 0, false));
        Assert.Equal(new byte[] { 1, 0 }, KaitaiStream.BytesTerminate([1, 0, 2, 0], 0, true));
        Assert.Equal(new byte[] { 1, 2 }, KaitaiStream.BytesTerminate([1, 2], 0, false));
        Assert.Equal(new byte[] { 0x61, 0x00, 0x00, 0x62 }, KaitaiStream.BytesTerminateMulti([0x61, 0x00, 0x00, 0x62, 0x00, 0x00], [0, 0], false));
        Assert.Equal(new byte[] { 0x61, 0x00, 0x00, 0x62, 0x00, 0x00 }, KaitaiStream.BytesTerminateMulti([0x61, 0x00, 0x00, 0x62, 0x00, 0x00, 0x63], [0, 0], true));
        Assert.True(KaitaiStream.ByteArrayCompare([1, 2], [1, 3]) < 0);
        Assert.True(KaitaiStream.ByteArrayCompare([0xff], [0x01]) > 0); // unsigned
        Assert.True(KaitaiStream.ByteArrayCompare([1, 2], [1]) > 0);
        Assert.Equal(0, KaitaiStream.ByteArrayCompare([1, 2], [1, 2]));
    }

    [Theory]
    [InlineData(7, 3, 1)]
    [InlineData(-7, 3, 2)]
    [InlineData(-9, 3, 0)]
    [InlineData(0, 5, 0)]
    public void Mod_ResultIsNonNegative(int a, int b, int expected)
    {
        Assert.Equal(expected, KaitaiStream.Mod(a, b));
        Assert.Equal(expected, KaitaiStream.Mod((long)a, b));
    }

    [Fact]
    public void Mod_NonPositiveDivisor_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KaitaiStream.Mod(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KaitaiStream.Mod(1L, -2L));
    }

    [Fact]
    public void StringReverse_KeepsSurrogatePairsTogether()
    {
        Assert.Equal("cba", KaitaiStream.StringReverse("abc"));
        Assert.Equal("b\U0001F600a", KaitaiStream.StringReverse("a\U0001F600b"));
        Assert.Equal("", KaitaiStream.StringReverse(""));
    }

    [Fact]
    public void Process_XorRotateZlib()
    {
        using var io = new KaitaiStream([]);
        Assert.Equal(new byte[] { 0xfe, 0x00 }, io.ProcessXor([0x01, 0xff], 0xff));
        Assert.Equal(new byte[] { 0x00, 0x00, 0x03 }, io.ProcessXor([0x01, 0x02, 0x02], [0x01, 0x02]));
        Assert.Equal(new byte[] { 0x03, 0x80 }, io.ProcessRotateLeft([0x81, 0x40], 1, 1));
        Assert.Equal(new byte[] { 0xc0, 0x20 }, io.ProcessRotateLeft([0x81, 0x40], -1, 1));
        Assert.Throws<NotSupportedException>(() => io.ProcessRotateLeft([1, 2], 1, 2));

        // zlib of "hello" (RFC 1950 header 78 9c, deflate body, Adler-32 062c0215).
        Assert.Equal("hello"u8.ToArray(), io.ProcessZlib(DumpBuilder.Hex("78 9c cb 48 cd c9 c9 07 00 06 2c 02 15")));
        var text = Enumerable.Repeat("heap dump "u8.ToArray(), 1000).SelectMany(x => x).ToArray();
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(text);
        }

        Assert.Equal(text, io.ProcessZlib(compressed.ToArray()));
    }

    // ------------------------------------------------------------------ validation errors

    [Fact]
    public void ValidationErrors_CarrySrcPathPositionAndValues()
    {
        using var io = new KaitaiStream([1, 2, 3]);
        io.ReadU2le();
        var notEqual = new ValidationNotEqualError(new byte[] { 1 }, new byte[] { 2 }, io, "/seq/0");
        Assert.Equal("/seq/0", notEqual.SrcPath);
        Assert.Equal(2, notEqual.Pos);
        Assert.Same(io, notEqual.Io);
        Assert.Equal("/seq/0: at pos 2: validation failed: not equal, expected [01], but got [02]", notEqual.Message);
        Assert.Equal(5, new ValidationLessThanError(5, 3, io, "/x").Min);
        Assert.Equal(5, new ValidationGreaterThanError(5, 7, io, "/x").Max);
        Assert.Equal(9, new ValidationNotAnyOfError(9, io, "/x").Actual);
        Assert.Equal(9, new ValidationNotInEnumError(9, io, "/x").Actual);
        Assert.Contains("not matching the expression", new ValidationExprError(9, io, "/types/t/seq/1").Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<KaitaiStructError>(new ValidationExprError(9, io, "/x"));
    }
}
