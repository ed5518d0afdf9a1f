using System.Buffers;
using System.Globalization;
using GoHeapDump.Kaitai;
using Microsoft.Win32.SafeHandles;

namespace GoHeapDump.Cli;

/// <summary>
/// <c>goheapdump parse FILE</c> with the Kaitai parser on every core. After the params record (which gives the heap
/// range), the rest of the file is cut into segments of about <see cref="DefaultSegmentBytes"/>, each beginning at a
/// guessed record boundary: the first place near its nominal start where 16 object records decode one after another
/// (<see cref="HeapDumpReader.FindObjectBoundary"/>). Worker threads parse segments with Kaitai readers of their own
/// and render them to JSONL in memory; the calling thread writes them out in file order.
/// </summary>
/// <remarks>
/// <para>A guess is only a guess (an object's contents can hold anything, records included), so a segment's lines are
/// written only when the segment before it, itself verified, ended exactly where it begins: records decode the same
/// way from the same offset, so its lines are then the ones a single reader would have rendered. The first segment
/// begins where the params record ended, a boundary the calling thread read to. A segment runs from its guess to the
/// first record that starts at or past the next guess found; where no guess is found (inside an object larger than
/// the window, or past the objects) there is no segment, and the one before it runs on.</para>
/// <para>Anything else (a guess inside a record, a segment that failed) hands the rest of the file, from the last
/// verified boundary, to a single Kaitai reader on the calling thread, as <c>parse</c> reads a small file. A segment
/// that failed is parsed again that way, so the error is the one a single reader meets, with its true record index.
/// The output is the same bytes either way.</para>
/// <para>Memory: a segment hands its lines over in parts of about <see cref="DefaultPartBytes"/> of JSONL, and waits while
/// <see cref="PartsQueued"/> of its parts wait to be written; at most <see cref="SegmentsAheadPerWorker"/> segments
/// per worker are parsed ahead of the one being written. A long segment (a dump's last records after its objects)
/// therefore streams out as the single reader does.</para>
/// </remarks>
internal sealed class SegmentedKaitaiParse : IDisposable
{
    /// <summary>Nominal dump bytes per segment (its JSONL is about 3.6 MB).</summary>
    internal const long DefaultSegmentBytes = 1 << 20;

    /// <summary>Smaller files are parsed by one reader (with read-ahead): the segments would be few.</summary>
    internal const long MinimumSegments = 8;

    /// <summary>JSONL bytes after which a segment hands a part over.</summary>
    internal const int DefaultPartBytes = 4 << 20;

    /// <summary>Parts of one segment that may wait to be written before its worker waits.</summary>
    private const int PartsQueued = 2;

    /// <summary>Segments claimed and not yet written, per worker.</summary>
    private const int SegmentsAheadPerWorker = 1;

    /// <summary>Pooled JSONL buffers grown past this (by one huge record) are let go rather than kept.</summary>
    private const int PooledCapacity = 2 * DefaultPartBytes;

    /// <summary>Object records that must decode in a row for a guess.</summary>
    private const int BoundaryChain = 16;

    /// <summary>Bytes a guess reads first; most guesses are decided in the first hundreds of bytes.</summary>
    private const int FirstWindow = 64 * 1024;

    /// <summary>The params record comes first in every gc release's dump; past this many records, no segments.</summary>
    private const int ParamsWithin = 1024;

    private readonly string _file;
    private readonly HeaderVersion _version;
    private readonly long _origin;
    private readonly ulong _heapStart;
    private readonly ulong _heapEnd;
    private readonly long _segmentBytes;
    private readonly int _partBytes;
    private readonly long _length;
    private readonly SafeFileHandle _handle;
    private readonly Stream _output;

    // Guess(k) for k >= 1: 0 not computed yet, -1 none, otherwise the offset. Computed by whichever worker needs it
    // first (one ending at it, one starting there); both compute the same value.
    private readonly long[] _guesses;

    // Shared with the workers, under _gate.
    private readonly object _gate = new();
    private readonly Segment?[] _segments;
    private readonly Stack<MemoryStream> _buffers = new();
    private readonly Thread[] _workers;
    private readonly int _segmentsAhead;
    private int _claimed;
    private int _writing; // the segment the calling thread writes or waits for
    private int _outputGranted = -1; // the segment whose worker may write to the output (a huge record)
    private volatile bool _stopping;

    private SegmentedKaitaiParse(string file, Stream output, HeaderVersion version, long origin, ParamsRecord parameters, long segmentBytes, int partBytes, long length)
    {
        _output = output;
        _partBytes = partBytes;
        _file = file;
        _version = version;
        _origin = origin;
        _heapStart = parameters.HeapStart;
        _heapEnd = parameters.HeapEnd;
        _segmentBytes = segmentBytes;
        _length = length;
        _handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        // Segment k's nominal start is origin + k * segmentBytes; those at or past the end have no guess.
        var segments = checked((int)((length - origin) / segmentBytes) + 2);
        _guesses = new long[segments];
        _segments = new Segment?[segments];
        _workers = new Thread[Math.Clamp(Environment.ProcessorCount, 2, 4)];
        _segmentsAhead = SegmentsAheadPerWorker * _workers.Length;
    }

    /// <summary>Whether <paramref name="file"/> is large enough, and the machine has the cores, for segments.</summary>
    public static bool Applies(string file, long segmentBytes = DefaultSegmentBytes)
    {
        var info = new FileInfo(file); // a missing file or a directory: the single reader's error
        return Environment.ProcessorCount >= 2 && info.Exists && info.Length >= MinimumSegments * segmentBytes;
    }

    /// <summary>
    /// Writes the header line and every record's line of <paramref name="file"/>, as a single Kaitai reader's records
    /// rendered by <paramref name="jsonl"/> would be, to <paramref name="output"/> (which <paramref name="jsonl"/> writes
    /// to); throws what that reader would throw, after the lines of the records before it. <paramref name="outcome"/> hears
    /// what became of the segments (for tests) before the rest goes to one reader, or at the end.
    /// </summary>
    public static void Write(string file, CanonicalJsonlWriter jsonl, Stream output, long segmentBytes = DefaultSegmentBytes,
        int partBytes = DefaultPartBytes, Action<string>? outcome = null)
    {
        outcome ??= _ => { };
        HeaderVersion version;
        long origin;
        long index;
        ParamsRecord? parameters = null;
        using (var head = KaitaiHeapDumpReader.Open(file))
        {
            version = head.Version;
            jsonl.WriteHeader(version);
            while (parameters is null && head.RecordIndex < ParamsWithin)
            {
                if (head.Read() is not { } record)
                {
                    outcome("ended before the segments");
                    return;
                }

                jsonl.WriteRecord(record);
                parameters = record as ParamsRecord;
            }

            origin = head.Position;
            index = head.RecordIndex;
        }

        var length = new FileInfo(file).Length;
        if (parameters is null || length - origin < 2 * segmentBytes)
        {
            outcome("one reader: no params record first, or too little after it");
            ReadRest(file, version, origin, index, jsonl);
            return;
        }

        using var segmented = new SegmentedKaitaiParse(file, output, version, origin, parameters, segmentBytes, partBytes, length);
        segmented.WriteSegments(jsonl, index, outcome);
    }

    public void Dispose()
    {
        Stop();
        _handle.Dispose();
    }

    /// <summary>Writes the segments in order while they join; hands the rest to one reader when one does not.</summary>
    private void WriteSegments(CanonicalJsonlWriter jsonl, long index, Action<string> outcome)
    {
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = "kaitai segment " + i.ToString(CultureInfo.InvariantCulture) };
            _workers[i].Start();
        }

        jsonl.Flush();
        var at = _origin;
        var joined = 0;
        for (var k = 0; k < _segments.Length; k++)
        {
            var first = true;
            while (Next(k) is { } part)
            {
                if (part.Absent)
                {
                    break;
                }

                if (first && part.Start != at)
                {
                    // The segment before ended elsewhere: this guess was not a record boundary.
                    ReadRestAfterSegments(at, index, jsonl, joined, outcome);
                    return;
                }

                first = false;
                _output.Write(part.Lines.GetBuffer(), 0, (int)part.Lines.Length);
                index += part.Records;
                at = part.End;
                Recycle(part.Lines);
                if (part.Failed)
                {
                    // Parsed again by one reader from the last record that decoded: the error it meets is this one.
                    ReadRestAfterSegments(at, index, jsonl, joined, outcome);
                    return;
                }

                if (part.Ended)
                {
                    outcome(string.Create(CultureInfo.InvariantCulture, $"{joined + 1} segments"));
                    return;
                }

                if (part.Last)
                {
                    joined++;
                    break;
                }

                if (part.WantsOutput)
                {
                    // The segment's next record is huge: its worker writes it to the output itself, then hands over
                    // the part that covers it (no lines), which Next waits for; nothing else writes meanwhile.
                    lock (_gate)
                    {
                        _outputGranted = k;
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }

        // Every segment joined and none reached the end of the dump: cannot happen (the last one runs to the end).
        ReadRestAfterSegments(at, index, jsonl, joined, outcome);
    }

    /// <summary>The next part of segment <paramref name="k"/> for the calling thread to write, waiting for it.</summary>
    private Part? Next(int k)
    {
        lock (_gate)
        {
            if (_writing != k)
            {
                _writing = k;
                Monitor.PulseAll(_gate); // a segment fewer ahead
            }

            while (true)
            {
                if (_segments[k] is { } segment && segment.Parts.TryDequeue(out var part))
                {
                    Monitor.PulseAll(_gate); // room in the segment's queue
                    return part;
                }

                Monitor.Wait(_gate);
            }
        }
    }

    private void ReadRestAfterSegments(long at, long index, CanonicalJsonlWriter jsonl, int joined, Action<string> outcome)
    {
        Stop();
        outcome(string.Create(CultureInfo.InvariantCulture, $"one reader from offset {at} after {joined} segments"));
        ReadRest(_file, _version, at, index, jsonl);
    }

    /// <summary>One reader (reading a batch ahead on another thread) from the boundary <paramref name="at"/> to the end.</summary>
    private static void ReadRest(string file, HeaderVersion version, long at, long index, CanonicalJsonlWriter jsonl)
    {
        using var reader = new ReadAheadRecordReader(KaitaiHeapDumpReader.OpenAt(file, version, at, index));
        while (reader.Read() is { } record)
        {
            jsonl.WriteRecord(record);
        }
    }

    /// <summary>Stops the workers (each after the record it is reading) and waits for them.</summary>
    private void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var worker in _workers)
        {
            if (worker is { IsAlive: true })
            {
                worker.Join();
            }
        }
    }

    /// <summary>A worker: parses the next segment not yet claimed, while few enough are ahead of the one being written.</summary>
    private void Work()
    {
        while (true)
        {
            Segment segment;
            int k;
            lock (_gate)
            {
                while (!_stopping && _claimed < _segments.Length && _claimed >= _writing + _segmentsAhead)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping || _claimed >= _segments.Length)
                {
                    return;
                }

                k = _claimed++;
                segment = new Segment();
                _segments[k] = segment;
            }

            try
            {
                Parse(k, segment);
            }
#pragma warning disable CA1031 // A guess's read failed: the segment cannot be verified; the calling thread reads on by itself.
            catch (Exception)
#pragma warning restore CA1031
            {
                // Start -1: a first part does not join; after parts, the calling thread reads on from the last one's end.
                Hand(segment, new Part(-1, segment.HandedEnd, 0, Lines(), Last: true, Ended: false, Failed: true));
            }
        }
    }

    /// <summary>Parses segment <paramref name="k"/> from its guess to the first record at or past the next guess found,
    /// handing its lines over in parts.</summary>
    private void Parse(int k, Segment segment)
    {
        var start = Guess(k);
        if (start < 0)
        {
            Hand(segment, Part.None);
            return;
        }

        var end = -1L; // the end of the dump, unless a later guess finds a boundary
        for (var j = k + 1; j < _guesses.Length && end < 0 && !_stopping; j++)
        {
            end = Guess(j);
        }

        // A segment that runs to the end of the dump (the records after the objects, or every record when no guess
        // finds objects) is the last one: the other cores are free, so it reads a batch ahead on one of them.
        var kaitai = KaitaiHeapDumpReader.OpenAt(_file, _version, start, 0);
        using IHeapDumpReader reader = end < 0 ? new ReadAheadRecordReader(kaitai) : kaitai;
        var partStart = start;
        var records = 0L;
        var lines = Lines();
        var jsonl = new CanonicalJsonlWriter(lines, leaveOpen: true);
        try
        {
            while (!_stopping)
            {
                var at = reader.Position;
                if (end >= 0 && at >= end)
                {
                    jsonl.Dispose();
                    Hand(segment, new Part(partStart, at, records, lines, Last: true, Ended: false, Failed: false));
                    return;
                }

                HeapDumpRecord? record;
                try
                {
                    record = reader.Read();
                }
#pragma warning disable CA1031 // Not handled here: the calling thread reads this record again by itself and meets it there.
                catch (Exception)
#pragma warning restore CA1031
                {
                    jsonl.Dispose();
                    Hand(segment, new Part(partStart, at, records, lines, Last: true, Ended: false, Failed: true));
                    return;
                }

                if (record is null)
                {
                    jsonl.Dispose();
                    Hand(segment, new Part(partStart, at, records, lines, Last: true, Ended: true, Failed: false));
                    return;
                }

                if (LineEstimate(record) >= _partBytes)
                {
                    // A huge record (an object of megabytes): written straight to the output when its turn comes, rather
                    // than held as a part (a dump's largest object would be held twice, its lines and their copy).
                    jsonl.Dispose();
                    Hand(segment, new Part(partStart, at, records, lines, Last: false, Ended: false, Failed: false) { WantsOutput = true });
                    if (!AwaitOutput(k))
                    {
                        return;
                    }

                    using (var direct = new CanonicalJsonlWriter(_output, leaveOpen: true))
                    {
                        direct.WriteRecord(record);
                    }

                    Hand(segment, new Part(at, reader.Position, 1, Lines(), Last: false, Ended: false, Failed: false));
                    partStart = reader.Position;
                    records = 0;
                    lines = Lines();
                    jsonl = new CanonicalJsonlWriter(lines, leaveOpen: true);
                    continue;
                }

                jsonl.WriteRecord(record);
                records++;
                if (jsonl.Buffered + lines.Length >= _partBytes)
                {
                    jsonl.Dispose();
                    Hand(segment, new Part(partStart, reader.Position, records, lines, Last: false, Ended: false, Failed: false));
                    partStart = reader.Position;
                    records = 0;
                    lines = Lines();
                    jsonl = new CanonicalJsonlWriter(lines, leaveOpen: true);
                }
            }
        }
        finally
        {
            jsonl.Dispose(); // again after a hand-over: a no-op
        }
    }

    /// <summary>Waits until the calling thread lets segment <paramref name="k"/>'s worker write to the output; false when stopping.</summary>
    private bool AwaitOutput(int k)
    {
        lock (_gate)
        {
            while (!_stopping && _outputGranted != k)
            {
                Monitor.Wait(_gate);
            }

            _outputGranted = -1;
            return !_stopping;
        }
    }

    /// <summary>About how many bytes a record's line takes, as far as it can be large: contents as hex, fields.</summary>
    private static long LineEstimate(HeapDumpRecord record) => record switch
    {
        ObjectRecord r => (2L * r.Contents.Length) + (16L * r.Fields.Count),
        SegmentRecordBase r => (2L * r.Contents.Length) + (16L * r.Fields.Count),
        StackFrameRecord r => (2L * r.Contents.Length) + (16L * r.Fields.Count),
        _ => 0,
    };

    /// <summary>Queues <paramref name="part"/> for the calling thread; waits while the segment has enough parts queued.</summary>
    private void Hand(Segment segment, Part part)
    {
        lock (_gate)
        {
            segment.HandedEnd = part.End;
            segment.Parts.Enqueue(part);
            Monitor.PulseAll(_gate);
            while (!_stopping && !part.Last && segment.Parts.Count >= PartsQueued)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>Where segment <paramref name="k"/> begins: the params record's end for the first, a guess for the others, -1 for none.</summary>
    private long Guess(int k)
    {
        if (k == 0)
        {
            return _origin;
        }

        var known = Volatile.Read(ref _guesses[k]);
        if (known != 0)
        {
            return known;
        }

        // Within half a segment of its nominal start, so that the guesses stay in order.
        var nominal = _origin + (k * _segmentBytes);
        var window = (int)Math.Min(int.MaxValue, _segmentBytes / 2);
        var guess = FindBoundary(nominal, Math.Min(FirstWindow, window));
        if (guess == -2 && window > FirstWindow)
        {
            guess = FindBoundary(nominal, window);
        }

        guess = Math.Max(guess, -1);
        Volatile.Write(ref _guesses[k], guess);
        return guess;
    }

    /// <summary>A boundary guessed in the <paramref name="window"/> bytes from <paramref name="nominal"/>: its offset; -2 for
    /// none in the window, -1 for none before the end of the file.</summary>
    private long FindBoundary(long nominal, int window)
    {
        var size = (int)Math.Min(window, _length - nominal);
        if (size <= 0)
        {
            return -1;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var read = RandomAccess.Read(_handle, buffer.AsSpan(0, size), nominal);
            var at = HeapDumpReader.FindObjectBoundary(buffer.AsSpan(0, read), 0, BoundaryChain, _heapStart, _heapEnd);
            return at >= 0 ? nominal + at : size == window ? -2 : -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private MemoryStream Lines()
    {
        lock (_gate)
        {
            return _buffers.TryPop(out var reused) ? reused : new MemoryStream();
        }
    }

    private void Recycle(MemoryStream lines)
    {
        if (lines.Capacity > PooledCapacity)
        {
            return;
        }

        lines.SetLength(0);
        lock (_gate)
        {
            _buffers.Push(lines);
        }
    }

    /// <summary>What a worker hands over: a part of one segment, or its absence.</summary>
    private sealed class Segment
    {
        public Queue<Part> Parts { get; } = new();

        /// <summary>Where the last part handed over ended.</summary>
        public long HandedEnd { get; set; } = -1;
    }

    /// <summary>Lines of the records from <paramref name="Start"/> to <paramref name="End"/>, <paramref name="Records"/> of them;
    /// the segment's last part; the last of the dump; or ended by a record that failed to decode at <paramref name="End"/>.</summary>
    private sealed record Part(long Start, long End, long Records, MemoryStream Lines, bool Last, bool Ended, bool Failed)
    {
        /// <summary>No segment begins here: no guess found a boundary.</summary>
        public static Part None { get; } = new(-1, -1, 0, new MemoryStream(), Last: true, Ended: false, Failed: false) { Absent = true };

        public bool Absent { get; private init; }

        /// <summary>The segment's next record is to be written to the output by its worker (see <see cref="AwaitOutput"/>).</summary>
        public bool WantsOutput { get; init; }
    }
}
