namespace GoHeapDump.Runtime.Tests;

public class BitVectorTests
{
    [Fact]
    public void Parse_BitZeroFirst_SetsTheRightBits()
    {
        var v = BitVector.Parse("1010_0001");
        Assert.Equal(8, v.Length);
        Assert.Equal(new[] { 0, 2, 7 }, v.SetIndices().ToArray());
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(3, 10, 3)]
    [InlineData(64, 130, 127)] // across a word boundary
    [InlineData(64, 100, 100)] // no clear bit before the end
    public void FirstClear_Range_FindsFirstClearOrEnd(int start, int end, int expected)
    {
        var b = new BitVector.Builder(130);
        b.SetRange(64, 63); // bits 64..126 set
        b[0] = false;
        Assert.Equal(expected, b.ToBitVector().FirstClear(start, end));
    }

    [Fact]
    public void Ones_LengthNotMultipleOf64_HasNoBitsPastTheEnd()
    {
        var v = BitVector.Ones(70);
        Assert.Equal(70, v.PopCount);
        Assert.Equal(0x3fUL, v.Words[1]);
    }

    [Fact]
    public void FromWords_BitsPastLength_Throws() =>
        Assert.Throws<ArgumentException>(() => BitVector.FromWords(3, [0b1000]));

    [Fact]
    public void Equals_SameBits_True() =>
        Assert.Equal(BitVector.FromIndices(5, 1, 3), BitVector.Parse("01010"));

    [Fact]
    public void Indexer_OutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BitVector.Zeros(3)[3]);
}
