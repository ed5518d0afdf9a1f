using System.Collections.Immutable;
using System.Numerics;
using System.Text;

namespace GoHeapDump.Runtime;

/// <summary>
/// An immutable sequence of bits, bit <c>i</c> describing word (or slot) <c>i</c>. Go: runtime.bitvector
/// (stack maps, data/bss masks) and the per-word bits of the heap bitmap and the span's free slots.
/// </summary>
public sealed class BitVector : IEquatable<BitVector>
{
    private readonly ulong[] _words;

    private BitVector(int length, ulong[] words)
    {
        Length = length;
        _words = words;
    }

    /// <summary>The empty vector.</summary>
    public static BitVector Empty { get; } = new(0, []);

    /// <summary>Number of bits.</summary>
    public int Length { get; }

    /// <summary>Bit <paramref name="index"/>.</summary>
    public bool this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"bit index outside 0..{Length - 1}");
            }

            return (_words[index >> 6] & (1UL << index)) != 0;
        }
    }

    /// <summary>The bits packed 64 per word, bit i in word i/64 at position i%64; bits past <see cref="Length"/> are 0.</summary>
    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>Number of set bits.</summary>
    public int PopCount
    {
        get
        {
            var n = 0;
            foreach (var w in _words)
            {
                n += BitOperations.PopCount(w);
            }

            return n;
        }
    }

    /// <summary>A vector of <paramref name="length"/> clear bits.</summary>
    public static BitVector Zeros(int length) => new(CheckLength(length), new ulong[WordCount(length)]);

    /// <summary>A vector of <paramref name="length"/> set bits.</summary>
    public static BitVector Ones(int length)
    {
        var words = new ulong[WordCount(CheckLength(length))];
        Array.Fill(words, ulong.MaxValue);
        ClearTail(words, length);
        return new BitVector(length, words);
    }

    /// <summary>A vector of <paramref name="length"/> bits with the bits at <paramref name="setIndices"/> set.</summary>
    public static BitVector FromIndices(int length, params ReadOnlySpan<int> setIndices)
    {
        var words = new ulong[WordCount(CheckLength(length))];
        foreach (var i in setIndices)
        {
            if ((uint)i >= (uint)length)
            {
                throw new ArgumentOutOfRangeException(nameof(setIndices), i, $"bit index outside 0..{length - 1}");
            }

            words[i >> 6] |= 1UL << i;
        }

        return new BitVector(length, words);
    }

    /// <summary>A vector from booleans, element i giving bit i.</summary>
    public static BitVector FromBools(params ReadOnlySpan<bool> bits)
    {
        var words = new ulong[WordCount(bits.Length)];
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                words[i >> 6] |= 1UL << i;
            }
        }

        return new BitVector(bits.Length, words);
    }

    /// <summary>Parses a string of '0' and '1', bit 0 first ("1010" sets bits 0 and 2); '_' and spaces are ignored.</summary>
    public static BitVector Parse(string bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        var values = new List<bool>(bits.Length);
        foreach (var c in bits)
        {
            switch (c)
            {
                case '0': values.Add(false); break;
                case '1': values.Add(true); break;
                case '_' or ' ': break;
                default: throw new ArgumentException($"bit string may hold only '0', '1', '_' and spaces, got '{c}'", nameof(bits));
            }
        }

        return FromBools(values.ToArray());
    }

    /// <summary>Wraps packed words without copying; the caller gives up the array. Bits past <paramref name="length"/> must be 0.</summary>
    public static BitVector FromWords(int length, ulong[] words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Length != WordCount(CheckLength(length)))
        {
            throw new ArgumentException($"{length} bits need {WordCount(length)} words, got {words.Length}", nameof(words));
        }

        if (length % 64 != 0 && words.Length > 0 && (words[^1] >> (length % 64)) != 0)
        {
            throw new ArgumentException($"bits past the length {length} must be 0", nameof(words));
        }

        return new BitVector(length, words);
    }

    /// <summary>Index of the first clear bit at or after <paramref name="start"/> and before <paramref name="end"/>, or <paramref name="end"/>.</summary>
    public int FirstClear(int start, int end)
    {
        var i = start;
        while (i < end)
        {
            var word = ~_words[i >> 6] >> (i & 63);
            if (word != 0)
            {
                var found = i + BitOperations.TrailingZeroCount(word);
                return found < end ? found : end;
            }

            i = (i | 63) + 1;
        }

        return end;
    }

    /// <summary>The indices of the set bits, ascending.</summary>
    public ImmutableArray<int> SetIndices()
    {
        var result = ImmutableArray.CreateBuilder<int>(PopCount);
        for (var w = 0; w < _words.Length; w++)
        {
            var word = _words[w];
            while (word != 0)
            {
                result.Add((w << 6) + BitOperations.TrailingZeroCount(word));
                word &= word - 1;
            }
        }

        return result.MoveToImmutable();
    }

    public bool Equals(BitVector? other) =>
        other is not null && other.Length == Length && other._words.AsSpan().SequenceEqual(_words);

    public override bool Equals(object? obj) => obj is BitVector other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Length);
        foreach (var w in _words)
        {
            hash.Add(w);
        }

        return hash.ToHashCode();
    }

    /// <summary>The bits as '0'/'1', bit 0 first, in groups of 8 separated by '_'; long vectors are abbreviated.</summary>
    public override string ToString()
    {
        const int Shown = 256;
        var sb = new StringBuilder();
        var n = Math.Min(Length, Shown);
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && i % 8 == 0)
            {
                sb.Append('_');
            }

            sb.Append(this[i] ? '1' : '0');
        }

        if (Length > Shown)
        {
            sb.Append($"…({Length} bits, {PopCount} set)");
        }

        return Length == 0 ? "(empty)" : sb.ToString();
    }

    private static int CheckLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length;
    }

    private static int WordCount(int length) => (length + 63) >> 6;

    private static void ClearTail(ulong[] words, int length)
    {
        if (length % 64 != 0)
        {
            words[^1] &= (1UL << (length % 64)) - 1;
        }
    }

    /// <summary>Builds a vector bit by bit.</summary>
    public sealed class Builder
    {
        private ulong[] _words;

        /// <summary>A builder of <paramref name="length"/> clear bits.</summary>
        public Builder(int length)
        {
            Length = CheckLength(length);
            _words = new ulong[WordCount(length)];
        }

        /// <summary>Number of bits.</summary>
        public int Length { get; }

        /// <summary>Bit <paramref name="index"/>.</summary>
        public bool this[int index]
        {
            get => (_words[CheckIndex(index) >> 6] & (1UL << index)) != 0;
            set
            {
                if (value)
                {
                    _words[CheckIndex(index) >> 6] |= 1UL << index;
                }
                else
                {
                    _words[CheckIndex(index) >> 6] &= ~(1UL << index);
                }
            }
        }

        /// <summary>Sets bits <paramref name="start"/> .. <paramref name="start"/>+<paramref name="count"/>−1.</summary>
        public void SetRange(int start, int count)
        {
            for (var i = start; i < start + count; i++)
            {
                this[i] = true;
            }
        }

        /// <summary>The finished vector; the builder cannot be used afterwards.</summary>
        public BitVector ToBitVector()
        {
            var words = _words;
            _words = [];
            return new BitVector(Length, words);
        }

        private int CheckIndex(int index)
        {
            if ((uint)index >= (uint)Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"bit index outside 0..{Length - 1}");
            }

            return index;
        }
    }
}
