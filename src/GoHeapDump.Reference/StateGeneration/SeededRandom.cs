using System.Runtime.CompilerServices;

namespace GoHeapDump.Reference;

/// <summary>
/// A small deterministic generator (SplitMix64), so that a seed gives the same state on every machine and
/// every .NET version (System.Random's sequence is not a documented contract).
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private const ulong Gamma = 0x9e3779b97f4a7c15;

    private ulong _state = seed;

    /// <summary>Where the generator is: <c>new SeededRandom(State)</c> continues from here, independently of this one.</summary>
    public ulong State => _state;

    /// <summary>Moves the generator to <paramref name="state"/> (a <see cref="State"/>): its next draw is <c>Mix(state + Step)</c>.</summary>
    public void MoveTo(ulong state) => _state = state;

    /// <summary>Advances as <paramref name="draws"/> calls of <see cref="NextUInt64"/> would (each adds the golden gamma).</summary>
    public void Skip(ulong draws) => _state += draws * Gamma;

    /// <summary>The next 64 random bits.</summary>
    // Inlined, as Next and Chance: a 10M-object generate makes some 200 million draws, and a constant bound's modulo
    // becomes a multiplication where the call is inlined.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => Mix(_state += Gamma);

    /// <summary>
    /// The draw <see cref="NextUInt64"/> returns when it moves the generator to <paramref name="state"/>: draw k after
    /// <see cref="State"/> s is <c>Mix(s + k·Gamma)</c>, so a run of draws can be made from a copy of the state in a
    /// register, then <see cref="Skip"/>ped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong state)
    {
        var z = state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }

    /// <summary>The increment of the state at every draw.</summary>
    public const ulong Step = Gamma;

    /// <summary>A value in [0, <paramref name="maxExclusive"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return Below(NextUInt64(), (ulong)maxExclusive);
    }

    /// <summary>What <see cref="Next(int)"/> returns for the draw <paramref name="draw"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Below(ulong draw, ulong maxExclusive) => (int)(draw % maxExclusive);

    /// <summary>The <paramref name="k"/>-th draw (from 1) that <see cref="NextUInt64"/> makes from <see cref="State"/> <paramref name="state"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong DrawAfter(ulong state, ulong k) => Mix(state + (k * Step));

    /// <summary>A value in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Chance(double p) => IsChance(NextUInt64(), p);

    /// <summary>What <see cref="Chance"/> returns for the draw <paramref name="draw"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsChance(ulong draw, double p) => (draw >> 11) * (1.0 / (1UL << 53)) < p;

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fills <paramref name="bytes"/> with random bytes.</summary>
    public void Fill(Span<byte> bytes)
    {
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[i..], NextUInt64());
        }

        if (i < bytes.Length)
        {
            var last = NextUInt64();
            for (; i < bytes.Length; i++, last >>= 8)
            {
                bytes[i] = (byte)last;
            }
        }
    }
}
