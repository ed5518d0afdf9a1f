using System.Numerics;

namespace GoHeapDump.Validation;

/// <summary>
/// The dumped objects as address runs: an object that starts where the previous object in the file ended
/// extends that run, so a span's live slots, dumped in address order, cost one 16-byte entry per
/// contiguous stretch instead of one per object. Entries sit in fixed 1 MiB chunks (no copying as they
/// grow) and are sorted at the end by a stable LSD radix sort into a second set of chunks: at most 32
/// bytes per object at the peak (when no two objects are adjacent), usually far less.
/// </summary>
/// <remarks>
/// Runs are gapless unions of objects, so two objects overlap exactly when their runs' intervals do; an
/// address lies inside an object exactly when it lies inside a run.
/// </remarks>
internal sealed class ObjectTable
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    private Run[][] _chunks = [];
    private int _chunkCount;
    private long _count;
    private long _objects;
    private bool _sorted = true;
    private ulong _lastStart;
    private ulong _currentEnd;

    internal struct Run
    {
        public ulong Start;
        public ulong End;
    }

    /// <summary>Objects added.</summary>
    public long ObjectCount => _objects;

    /// <summary>Runs held.</summary>
    public long RunCount => _count;

    /// <summary>Bytes held by the runs (excluding the sort's second copy).</summary>
    public long BytesHeld => (long)_chunkCount * ChunkSize * 16;

    public void Add(ulong address, ulong size)
    {
        _objects++;
        var end = address + size < address ? ulong.MaxValue : address + size;
        if (_count != 0 && address == _currentEnd)
        {
            // Contiguous with the previous object: extend its run.
            _chunks[_chunkCount - 1][(int)((_count - 1) & ChunkMask)].End = end;
            _currentEnd = end;
            return;
        }

        var index = (int)(_count & ChunkMask);
        if (index == 0)
        {
            AddChunk();
        }

        ref var run = ref _chunks[_chunkCount - 1][index];
        run.Start = address;
        run.End = end;
        if (address < _lastStart)
        {
            _sorted = false;
        }

        _lastStart = address;
        _currentEnd = end;
        _count++;
    }

    /// <summary>True when an object at <paramref name="address"/> would start a new run after one ending at <paramref name="previousEnd"/> (the second pass replays this).</summary>
    public static bool StartsRun(bool first, ulong previousEnd, ulong address) => first || address != previousEnd;

    private void AddChunk()
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(16, _chunks.Length * 2));
        }

        _chunks[_chunkCount++] = new Run[ChunkSize];
    }

    public Run this[long index] => _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Sorts the runs by start, keeping file order among equal starts (stable).</summary>
    public void Sort()
    {
        if (_sorted || _count < 2)
        {
            _sorted = true;
            return;
        }

        var min = ulong.MaxValue;
        var max = 0UL;
        for (long i = 0; i < _count; i++)
        {
            var a = this[i].Start;
            min = Math.Min(min, a);
            max = Math.Max(max, a);
        }

        // Keys are starts relative to the lowest, without the alignment bits they all share.
        var common = 0UL;
        for (long i = 0; i < _count; i++)
        {
            common |= this[i].Start - min;
        }

        var shift = common == 0 ? 0 : BitOperations.TrailingZeroCount(common);
        var bits = 64 - BitOperations.LeadingZeroCount((max - min) >> shift);
        var passes = (bits + DigitBits - 1) / DigitBits;

        var source = _chunks;
        var target = new Run[_chunkCount][];
        for (var c = 0; c < _chunkCount; c++)
        {
            target[c] = new Run[ChunkSize];
        }

        var counts = new long[Buckets];
        for (var pass = 0; pass < passes; pass++)
        {
            var digitShift = shift + (pass * DigitBits);
            Array.Clear(counts);
            for (long i = 0; i < _count; i++)
            {
                counts[(int)(((source[i >> ChunkShift][i & ChunkMask].Start - min) >> digitShift) & (Buckets - 1))]++;
            }

            long total = 0;
            for (var b = 0; b < Buckets; b++)
            {
                var n = counts[b];
                counts[b] = total;
                total += n;
            }

            for (long i = 0; i < _count; i++)
            {
                var run = source[i >> ChunkShift][i & ChunkMask];
                var to = counts[(int)(((run.Start - min) >> digitShift) & (Buckets - 1))]++;
                target[to >> ChunkShift][to & ChunkMask] = run;
            }

            (source, target) = (target, source);
        }

        _chunks = source;
        _sorted = true;
    }

    /// <summary>
    /// After <see cref="Sort"/>: calls <paramref name="overlap"/> for each run whose first object starts inside
    /// an earlier run (in address order, file order among equal starts), with that object's address, its
    /// occurrence among runs starting there (1 = first in file order), and the interval of the run it starts in.
    /// </summary>
    public void FindOverlaps(Action<ulong, int, ulong, ulong> overlap)
    {
        if (_count < 2)
        {
            return;
        }

        var previous = this[0];
        var maxEnd = previous.End;
        var maxStart = previous.Start;
        var occurrence = 1;
        for (long i = 1; i < _count; i++)
        {
            var run = this[i];
            occurrence = run.Start == previous.Start ? occurrence + 1 : 1;
            if (run.Start < maxEnd || run.Start == previous.Start)
            {
                overlap(run.Start, occurrence, maxStart, maxEnd);
            }

            if (run.End > maxEnd)
            {
                maxEnd = run.End;
                maxStart = run.Start;
            }

            previous = run;
        }
    }

    /// <summary>After <see cref="Sort"/>: true when <paramref name="address"/> lies inside a dumped object (its start included).</summary>
    public bool Contains(ulong address)
    {
        // The last run starting at or below the address.
        long lo = 0, hi = _count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (this[mid].Start <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0)
        {
            return false;
        }

        var entry = this[found];
        return address == entry.Start || address < entry.End;
    }
}
