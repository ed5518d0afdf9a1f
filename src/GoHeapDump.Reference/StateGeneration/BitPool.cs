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
        // A word at a time (the plan appends a bit for every slot of the heap, before the first byte is written).
        var start = Length;
        var end = start + length;
        while (((long)_chunkCount << ChunkShift) < end)
        {
            if (_chunkCount == _chunks.Length)
            {
                Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
            }

            _chunks[_chunkCount++] = new ulong[1 << (ChunkShift - 6)];
        }

        var shift = (int)(start & 63);
        for (var k = 0; k < (length + 63) / 64; k++)
        {
            var value = words[k];
            if (length - (64 * k) < 64)
            {
                value &= (1UL << (length - (64 * k))) - 1;
            }

            // The pool's bits past its length are zero: the appended ones are or-ed in.
            var at = (start >> 6) + k;
            WordAt(at) |= value << shift;
            if (shift != 0 && value >> (64 - shift) != 0)
            {
                WordAt(at + 1) |= value >> (64 - shift);
            }
        }

        Length = end;
        return start;
    }

    /// <summary>The <paramref name="length"/> bits from pool index <paramref name="start"/> as a vector.</summary>
    public BitVector Slice(long start, int length)
    {
        // A word at a time: every span the writer walks takes its free bits here.
        var words = new ulong[(length + 63) / 64];
        var shift = (int)(start & 63);
        for (var i = 0; i < words.Length; i++)
        {
            var at = (start >> 6) + i;
            var word = Word(at) >> shift;
            if (shift != 0 && (at + 1) << 6 < start + length)
            {
                word |= Word(at + 1) << (64 - shift);
            }

            words[i] = word;
        }

        if (length % 64 != 0)
        {
            words[^1] &= (1UL << length) - 1;
        }

        return BitVector.FromWords(length, words);
    }

    /// <summary>Word <paramref name="index"/> of the pool (bits 64·index to 64·index + 63).</summary>
    private ulong Word(long index) => WordAt(index);

    private ref ulong WordAt(long index) => ref _chunks[(int)(index >> (ChunkShift - 6))][index & ((1L << (ChunkShift - 6)) - 1)];
}
