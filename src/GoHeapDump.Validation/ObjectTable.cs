using System.Numerics;

namespace GoHeapDump.Validation;

/// <summary>
/// The dumped objects as address runs: an object that starts where the previous object in the file ended
/// extends that run, so a span's live slots, dumped in address order, cost one 16-byte entry per contiguous
/// stretch instead of one per object. Entries sit in fixed 1 MiB chunks (no copying as they grow). At the end
/// each chunk is sorted in place (a stable radix sort through one spare chunk) and the chunks are merged on
/// the fly while the overlap and containment checks scan them, so the peak is 16 bytes per object when no two
/// objects are adjacent (usually far less), plus one spare chunk.
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

    /// <summary>Bytes of one chunk of runs (the table grows, and its sort needs a spare, in these steps).</summary>
    public const long ChunkBytes = (long)ChunkSize * 16;

    private Run[][] _chunks = [];
    private int[] _lengths = []; // runs in each chunk: all full but the last, except where Append put a table's chunks after a partial one
    private int _chunkCount;
    private long _count;
    private long _objects;
    private ulong _currentEnd;

    internal struct Run
    {
        public ulong Start;
        public ulong End;
    }

    /// <summary>
    /// Asked before each new chunk with its size in bytes (the first time also for the sort's spare chunk); false
    /// stops the table: it is then <see cref="Full"/>, ignores further objects, and must not be scanned.
    /// </summary>
    public Func<long, bool>? Reserve { get; init; }

    /// <summary>The table will be appended to another (<see cref="Append"/>), never scanned: its first chunk comes without the sort's spare.</summary>
    public bool Appended { get; init; }

    /// <summary>A reservation was refused: the table no longer holds every object.</summary>
    public bool Full { get; private set; }

    /// <summary>Drops every run (after <see cref="Full"/>, to give the memory back).</summary>
    public void Release()
    {
        Full = true;
        _chunks = [];
        _lengths = [];
        _chunkCount = 0;
        _count = 0;
    }

    /// <summary>Objects added.</summary>
    public long ObjectCount => _objects;

    /// <summary>Runs held.</summary>
    public long RunCount => _count;

    public void Add(ulong address, ulong size)
    {
        if (Full)
        {
            return;
        }

        _objects++;
        var end = address + size < address ? ulong.MaxValue : address + size;
        if (_count != 0 && address == _currentEnd)
        {
            // Contiguous with the previous object: extend its run.
            _chunks[_chunkCount - 1][_lengths[_chunkCount - 1] - 1].End = end;
            _currentEnd = end;
            return;
        }

        NewRun(address, end);
    }

    private void NewRun(ulong start, ulong end)
    {
        // Reserved as one pass over the file fills chunks, whatever Append did to their layout: the cap's note must
        // name the record one pass names.
        if ((_count & ChunkMask) == 0 && Reserve is not null && !Reserve(_count == 0 && !Appended ? 2 * ChunkBytes : ChunkBytes))
        {
            Release();
            return;
        }

        if (_chunkCount == 0 || _lengths[_chunkCount - 1] == ChunkSize)
        {
            AddChunk(new Run[ChunkSize], 0);
        }

        ref var run = ref _chunks[_chunkCount - 1][_lengths[_chunkCount - 1]++];
        run.Start = start;
        run.End = end;
        _currentEnd = end;
        _count++;
    }

    private void AddChunk(Run[] chunk, int length)
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(16, _chunks.Length * 2));
            Array.Resize(ref _lengths, _chunks.Length);
        }

        _chunks[_chunkCount] = chunk;
        _lengths[_chunkCount++] = length;
    }

    /// <summary>Chunks one pass would have reserved for <paramref name="runs"/> runs.</summary>
    private static long Chunks(long runs) => (runs + ChunkMask) >> ChunkShift;

    /// <summary>What <see cref="Append"/> of <paramref name="later"/> reserves, in bytes: what one pass would have for its runs.</summary>
    public long AppendCost(ObjectTable later)
    {
        var runs = later._count - (JoinsFirstRun(later) ? 1 : 0);
        var more = Chunks(_count + runs) - Chunks(_count);
        return more == 0 ? 0 : (more * ChunkBytes) + (_count == 0 && !Appended ? ChunkBytes : 0);
    }

    /// <summary>
    /// Takes the objects of a table that a later part of the file filled (the validator's split), chunks and all: the
    /// same runs as adding those objects here one by one, reserved at once. Not after <see cref="Full"/>, of either;
    /// empties <paramref name="later"/>.
    /// </summary>
    public void Append(ObjectTable later)
    {
        if (Full || later.Full)
        {
            throw new InvalidOperationException("a full table cannot be appended to or from");
        }

        var cost = AppendCost(later);
        if (cost > 0 && Reserve is not null && !Reserve(cost))
        {
            Release();
            return;
        }

        _objects += later._objects;
        if (later._count == 0)
        {
            return;
        }

        var runs = later._count;
        if (JoinsFirstRun(later))
        {
            // The first object after the split was contiguous with the last before it: one run, as in one pass.
            _chunks[_chunkCount - 1][_lengths[_chunkCount - 1] - 1].End = later._chunks[0][0].End;
            Array.Copy(later._chunks[0], 1, later._chunks[0], 0, --later._lengths[0]);
            runs--;
        }

        for (var c = 0; c < later._chunkCount; c++)
        {
            if (later._lengths[c] > 0)
            {
                AddChunk(later._chunks[c], later._lengths[c]);
            }
        }

        _count += runs;
        _currentEnd = later._currentEnd;
        later.Release();
    }

    private bool JoinsFirstRun(ObjectTable later) => _count != 0 && later._count != 0 && later._chunks[0][0].Start == _currentEnd;

    /// <summary>True when an object at <paramref name="address"/> starts a new run after one ending at <paramref name="previousEnd"/> (the locating pass replays this).</summary>
    public static bool StartsRun(bool first, ulong previousEnd, ulong address) => first || address != previousEnd;

    /// <summary>
    /// Scans the runs in address order (file order among equal starts) once, reporting every run that starts
    /// inside an earlier one and every address of <paramref name="sortedAddresses"/> (ascending) that lies in no run.
    /// </summary>
    /// <param name="sortedAddresses">Addresses to look up, in ascending order.</param>
    /// <param name="notContained">Called with the index in <paramref name="sortedAddresses"/> of an address inside no object.</param>
    /// <param name="overlap">Called with a run's start, its occurrence among runs starting there (1 = first in
    /// file order), and the interval of the run it starts inside.</param>
    public void Scan(IReadOnlyList<ulong> sortedAddresses, Action<int> notContained, Action<ulong, int, ulong, ulong> overlap)
    {
        SortChunks();
        var merge = new Merger(_chunks, _lengths, _chunkCount);
        var maxEnd = 0UL;
        var maxStart = 0UL;
        var lastStart = 0UL;
        var any = false;
        var occurrence = 0;
        var next = 0;
        while (merge.TryNext(out var run))
        {
            // Addresses below this run's start are decided by the runs before it.
            for (; next < sortedAddresses.Count && sortedAddresses[next] < run.Start; next++)
            {
                if (!any || !(sortedAddresses[next] < maxEnd || sortedAddresses[next] == lastStart))
                {
                    notContained(next);
                }
            }

            if (any)
            {
                occurrence = run.Start == lastStart ? occurrence + 1 : 1;
                if (run.Start < maxEnd || run.Start == lastStart)
                {
                    overlap(run.Start, occurrence, maxStart, maxEnd);
                }
            }
            else
            {
                occurrence = 1;
            }

            if (!any || run.End > maxEnd)
            {
                maxEnd = run.End;
                maxStart = run.Start;
            }

            lastStart = run.Start;
            any = true;
        }

        for (; next < sortedAddresses.Count; next++)
        {
            if (!any || !(sortedAddresses[next] < maxEnd || sortedAddresses[next] == lastStart))
            {
                notContained(next);
            }
        }
    }

    /// <summary>Sorts each chunk by start, stably (equal starts keep file order), through one spare chunk.</summary>
    private void SortChunks()
    {
        Run[]? spare = null;
        var counts = new int[Buckets];
        for (var c = 0; c < _chunkCount; c++)
        {
            var length = _lengths[c];
            var chunk = _chunks[c];
            var min = ulong.MaxValue;
            var max = 0UL;
            var sorted = true;
            for (var i = 0; i < length; i++)
            {
                var start = chunk[i].Start;
                sorted &= i == 0 || start >= chunk[i - 1].Start;
                min = Math.Min(min, start);
                max = Math.Max(max, start);
            }

            if (sorted)
            {
                continue;
            }

            var bits = 64 - BitOperations.LeadingZeroCount(max - min);
            spare ??= new Run[ChunkSize];
            var source = chunk;
            var target = spare;
            for (var shift = 0; shift < bits; shift += DigitBits)
            {
                Array.Clear(counts);
                for (var i = 0; i < length; i++)
                {
                    counts[(int)(((source[i].Start - min) >> shift) & (Buckets - 1))]++;
                }

                var total = 0;
                for (var b = 0; b < Buckets; b++)
                {
                    var n = counts[b];
                    counts[b] = total;
                    total += n;
                }

                for (var i = 0; i < length; i++)
                {
                    target[counts[(int)(((source[i].Start - min) >> shift) & (Buckets - 1))]++] = source[i];
                }

                (source, target) = (target, source);
            }

            // The sorted data is in 'source'; keep it as the chunk and the other array as the spare.
            _chunks[c] = source;
            spare = target;
        }
    }

    /// <summary>Merges the sorted chunks with a binary heap keyed by (start, chunk index): address order, file order on ties.</summary>
    private struct Merger
    {
        private readonly Run[][] _chunks;
        private readonly int[] _heap;
        private readonly int[] _position;
        private readonly int[] _length;
        private int _size;

        public Merger(Run[][] chunks, int[] lengths, int chunkCount)
        {
            _chunks = chunks;
            _heap = new int[chunkCount];
            _position = new int[chunkCount];
            _length = new int[chunkCount];
            for (var c = 0; c < chunkCount; c++)
            {
                _length[c] = lengths[c];
                if (_length[c] > 0)
                {
                    _heap[_size] = c;
                    SiftUp(_size++);
                }
            }
        }

        public bool TryNext(out Run run)
        {
            if (_size == 0)
            {
                run = default;
                return false;
            }

            var c = _heap[0];
            run = _chunks[c][_position[c]++];
            if (_position[c] == _length[c])
            {
                _heap[0] = _heap[--_size];
            }

            if (_size > 0)
            {
                SiftDown(0);
            }

            return true;
        }

        private readonly bool Less(int a, int b)
        {
            var x = _chunks[a][_position[a]].Start;
            var y = _chunks[b][_position[b]].Start;
            return x < y || (x == y && a < b);
        }

        private readonly void SiftUp(int i)
        {
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (!Less(_heap[i], _heap[parent]))
                {
                    break;
                }

                (_heap[i], _heap[parent]) = (_heap[parent], _heap[i]);
                i = parent;
            }
        }

        private readonly void SiftDown(int i)
        {
            while (true)
            {
                var left = (2 * i) + 1;
                if (left >= _size)
                {
                    return;
                }

                var smallest = left + 1 < _size && Less(_heap[left + 1], _heap[left]) ? left + 1 : left;
                if (!Less(_heap[smallest], _heap[i]))
                {
                    return;
                }

                (_heap[i], _heap[smallest]) = (_heap[smallest], _heap[i]);
                i = smallest;
            }
        }
    }
}
