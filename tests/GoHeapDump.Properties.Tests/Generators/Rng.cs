namespace GoHeapDump.Properties.Tests.Generators;

/// <summary>
/// A small deterministic random source (SplitMix64) for the state generator. FsCheck draws the seed, so a
/// FsCheck replay seed reproduces the state, and <see cref="StateGenerator.Build"/> with the same seed and
/// size rebuilds it outside FsCheck.
/// </summary>
internal sealed class Rng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9e3779b97f4a7c15;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }

    /// <summary>0 ≤ result &lt; <paramref name="n"/> (0 when n ≤ 0).</summary>
    public int Next(int n) => n <= 0 ? 0 : (int)(NextUInt64() % (ulong)n);

    /// <summary><paramref name="lo"/> ≤ result &lt; <paramref name="hi"/>.</summary>
    public int Next(int lo, int hi) => hi <= lo ? lo : lo + Next(hi - lo);

    /// <summary>0 ≤ result ≤ <paramref name="max"/>.</summary>
    public ulong UpTo(ulong max) => max == ulong.MaxValue ? NextUInt64() : NextUInt64() % (max + 1);

    public bool Chance(double p) => NextUInt64() % 1_000_000 < (ulong)(p * 1_000_000);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public byte[] Bytes(int n)
    {
        var bytes = new byte[n];
        for (var i = 0; i < n; i += 8)
        {
            var v = NextUInt64();
            for (var k = 0; k < 8 && i + k < n; k++)
            {
                bytes[i + k] = (byte)(v >> (8 * k));
            }
        }

        return bytes;
    }
}
