using System.Runtime.CompilerServices;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

/// <summary>
/// Bit vectors stored back to back in fixed-size chunks: the planned spans' free-slot bits, which a dump of any size
/// needs at random (a pointer names a live slot of any span), kept at one bit a slot rather than as an object a span.
/// </summary>
internal sealed class BitPool
{
    private const int ChunkShift = 22; // 4 Mi bits (512 KiB) a chunk
    private const long ChunkMask = (1L << ChunkShift) - 1;
    // An array, not a List, and the indexer inlined: it is read for every pointer a dump holds, at random (17 % of a
    // 10M-object generate's samples, nearly all the random read itself; Native AOT had kept it a call: about 2 % saved).
    private ulong[][] _chunks = [];
    private int _chunkCount;

    /// <summary>Bits stored.</summary>
    public long Length { get; private set; }

    /// <summary>Bit <paramref name="index"/> of the pool.</summary>
    public bool this[long index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (_chunks[(int)(index >> ChunkShift)][(index & ChunkMask) >> 6] & (1UL << (int)index)) != 0;
    }

    /// <summary>Appends the first <paramref name="length"/> bits of <paramref name="words"/>; returns the pool index of its first bit.</summary>
    public long Append(ReadOnlySpan<ulong> words, int length)
    {
        var start = Length;
        for (var i = 0; i < length; i++, Length++)
        {
            if ((Length & ChunkMask) == 0 && (Length >> ChunkShift) == _chunkCount)
            {
                if (_chunkCount == _chunks.Length)
                {
                    Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
                }

                _chunks[_chunkCount++] = new ulong[1 << (ChunkShift - 6)];
            }

            if ((words[i >> 6] & (1UL << i)) != 0)
            {
                _chunks[(int)(Length >> ChunkShift)][(Length & ChunkMask) >> 6] |= 1UL << (int)Length;
            }
        }

        return start;
    }

    /// <summary>The <paramref name="length"/> bits from pool index <paramref name="start"/> as a vector.</summary>
    public BitVector Slice(long start, int length)
    {
        var words = new ulong[(length + 63) / 64];
        for (var i = 0; i < length; i++)
        {
            if (this[start + i])
            {
                words[i >> 6] |= 1UL << i;
            }
        }

        return BitVector.FromWords(length, words);
    }
}
