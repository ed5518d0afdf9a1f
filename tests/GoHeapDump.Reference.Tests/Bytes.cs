namespace GoHeapDump.Reference.Tests;

/// <summary>Assertions that show where two dumps first differ.</summary>
internal static class Bytes
{
    public static void Equal(byte[] expected, byte[] actual)
    {
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 16);
        Assert.Fail(
            $"bytes differ at offset {at} (expected {expected.Length} bytes, got {actual.Length})\n" +
            $"expected …{Convert.ToHexStringLower(expected.AsSpan(from, Math.Min(48, expected.Length - from)))}\n" +
            $"actual   …{Convert.ToHexStringLower(actual.AsSpan(from, Math.Min(48, actual.Length - from)))}");
    }
}
