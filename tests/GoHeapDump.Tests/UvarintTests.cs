namespace GoHeapDump.Tests;

public class UvarintTests
{
    // Vectors worked out by hand from the encoding/binary definition: 7-bit groups, least significant first.
    [Theory]
    [InlineData("zero", "00", 0UL)]
    [InlineData("largest one-byte", "7f", 127UL)]
    [InlineData("smallest two-byte", "8001", 128UL)]
    [InlineData("300", "ac02", 300UL)]
    [InlineData("2^63", "80808080808080808001", 9223372036854775808UL)]
    [InlineData("max uint64, FF×9 01", "ffffffffffffffffff01", ulong.MaxValue)]
    public void Write_KnownValue_ProducesMinimalBytes(string description, string hex, ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        var written = Uvarint.Write(buffer, value);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer[..written]));
        Assert.Equal(hex.Length / 2, Uvarint.Length(value));
        Assert.NotNull(description);
    }

    [Theory]
    [InlineData("max uint64", "ffffffffffffffffff01", ulong.MaxValue, 10)]
    [InlineData("non-minimal zero", "8000", 0UL, 2)]
    [InlineData("non-minimal one, 10 bytes", "81808080808080808000", 1UL, 10)]
    [InlineData("trailing bytes ignored", "0aff", 10UL, 1)]
    public void TryRead_Valid_DecodesLikeEncodingBinary(string description, string hex, ulong value, int length)
    {
        var status = Uvarint.TryRead(Convert.FromHexString(hex), out var decoded, out var consumed);
        Assert.True(status == UvarintStatus.Ok, description);
        Assert.Equal(value, decoded);
        Assert.Equal(length, consumed);
    }

    [Theory]
    [InlineData("10th byte 2", "ffffffffffffffffff02", UvarintStatus.Overflow, 9)]
    [InlineData("10th byte 0x7f", "ffffffffffffffffff7f", UvarintStatus.Overflow, 9)]
    [InlineData("10th byte has continuation (11 bytes)", "ffffffffffffffffffff01", UvarintStatus.TooLong, 9)]
    [InlineData("ends inside", "ff", UvarintStatus.NeedMoreData, 1)]
    [InlineData("empty", "", UvarintStatus.NeedMoreData, 0)]
    public void TryRead_Invalid_ReportsStatusAndOffendingByte(string description, string hex, UvarintStatus expected, int index)
    {
        var status = Uvarint.TryRead(Convert.FromHexString(hex), out _, out var at);
        Assert.True(status == expected, $"{description}: {status}");
        Assert.Equal(index, at);
    }

    [Fact]
    public void IsNonMinimal_DetectsPadding()
    {
        Assert.True(Uvarint.IsNonMinimal(0, 2));
        Assert.False(Uvarint.IsNonMinimal(128, 2));
    }
}
