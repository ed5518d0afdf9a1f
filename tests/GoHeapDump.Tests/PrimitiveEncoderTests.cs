namespace GoHeapDump.Tests;

public class PrimitiveEncoderTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(127UL, new byte[] { 0x7f })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xac, 0x02 })]
    [InlineData(0xc000000000UL, new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x18 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 })]
    public void WriteUvarint_Value_MinimalEncoding(ulong value, byte[] expected)
    {
        var buffer = new byte[10];
        var n = PrimitiveEncoder.WriteUvarint(buffer, value);
        Assert.Equal(expected, buffer[..n]);
        Assert.Equal(expected.Length, PrimitiveEncoder.UvarintLength(value));
    }

    [Fact]
    public void WriteUvarint_DestinationTooShort_Throws() =>
        Assert.Throws<IndexOutOfRangeException>(() => PrimitiveEncoder.WriteUvarint(new byte[1], 300));

    [Fact]
    public void WriteBool_TrueAndFalse_OneAndZero()
    {
        var b = new byte[2];
        PrimitiveEncoder.WriteBool(b, true);
        PrimitiveEncoder.WriteBool(b.AsSpan(1), false);
        Assert.Equal(new byte[] { 1, 0 }, b);
    }

    [Fact]
    public void WriteString_LengthThenBytes()
    {
        var b = new byte[PrimitiveEncoder.StringLength(5)];
        Assert.Equal(6, PrimitiveEncoder.WriteString(b, "amd64"u8));
        Assert.Equal("\u0005amd64"u8.ToArray(), b);
    }

    [Fact]
    public void WriteFieldList_EntriesThenZero()
    {
        Field[] fields = [Field.Ptr(0), Field.Ptr(200), new(FieldKind.Eface, 8)];
        var b = new byte[PrimitiveEncoder.FieldListLength(fields)];
        Assert.Equal(b.Length, PrimitiveEncoder.WriteFieldList(b, fields));
        Assert.Equal(new byte[] { 1, 0, 1, 0xc8, 0x01, 3, 8, 0 }, b);
    }

    [Fact]
    public void WriteField_Eol_Throws() =>
        Assert.Throws<ArgumentException>(() => PrimitiveEncoder.WriteField(new byte[4], FieldKind.Eol, 0));
}
