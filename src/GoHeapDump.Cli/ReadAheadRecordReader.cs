using System.Runtime.ExceptionServices;

namespace GoHeapDump.Cli;

/// <summary>
/// Runs a reader on a second thread, a batch of records ahead of the caller, so that parsing the next records
/// overlaps with what the caller does with the last ones (rendering JSONL in <c>parse</c>) on the other core.
/// </summary>
/// <remarks>
/// <para>The caller sees what the reader itself would give: the same records in the same order, then null or the
/// same exception (rethrown with its original stack trace), after exactly the records the reader returned before it;
/// once failed it keeps throwing that exception, once ended it keeps returning null.</para>
/// <para>Memory is bounded by dump bytes: the thread starts a batch only while the batches made and not yet
/// consumed (the caller's current one included) cover fewer than <see cref="MaxAheadBytes"/> bytes of dump, and ends
/// a batch at <see cref="BatchBytes"/> bytes or <see cref="BatchRecords"/> records. A record larger than the bound
/// makes a batch of its own and holds the thread back until the caller asks for the record after it, so huge records
/// are held one at a time, as without read-ahead; otherwise the read-ahead costs the records of some 48 KiB of dump.
/// Small batches also keep what survives a garbage collection small: with 128 KiB batches, 512 KiB ahead, nearly
/// every gen0 collection became a gen1 one and the pauses of a 112 MB parse grew from 0.17 s to 0.75 s.</para>
/// <para>For files only: <see cref="Dispose"/> waits for the record being read, and a read from a pipe can block
/// for as long as the writer keeps the pipe open.</para>
/// </remarks>
internal sealed class ReadAheadRecordReader : IHeapDumpReader
{
    /// <summary>Dump bytes per batch: large enough that handing a batch over (microseconds) is rare, small enough
    /// that the two threads start working together at once.</summary>
    internal const long BatchBytes = 16 * 1024;

    /// <summary>Records per batch at most (small records: a batch's array stays small).</summary>
    internal const int BatchRecords = 4096;

    /// <summary>Dump bytes read ahead at most before the thread waits for the caller.</summary>
    internal const long MaxAheadBytes = 2 * BatchBytes;

    private readonly IHeapDumpReader _reader;
    private readonly Thread _thread;

    // Shared with the thread, under _gate.
    private readonly object _gate = new();
    private readonly Queue<Batch> _ready = new();
    private readonly Stack<Batch> _free = new();
    private long _aheadBytes;
    private volatile bool _stopping;

    // The caller's side.
    private Batch? _current;
    private int _next;
    private long _position;
    private long _recordIndex;

    /// <summary>Starts reading <paramref name="reader"/> ahead; this object owns it from now on.</summary>
    public ReadAheadRecordReader(IHeapDumpReader reader)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        Version = reader.Version;
        _position = reader.Position;
        _recordIndex = reader.RecordIndex;
        _thread = new Thread(Produce) { IsBackground = true, Name = "heap dump record read-ahead" };
        _thread.Start();
    }

    public HeaderVersion Version { get; }

    /// <summary>Offset after the last record returned (not the read-ahead thread's position).</summary>
    public long Position => _position;

    /// <summary>Index of the next record to be returned.</summary>
    public long RecordIndex => _recordIndex;

    public HeapDumpRecord? Read()
    {
        while (true)
        {
            if (_current is { } batch)
            {
                if (_next < batch.Count)
                {
                    var entry = batch.Entries[_next];
                    _position = entry.End;
                    _next++;
                    _recordIndex++;
                    return entry.Record;
                }

                batch.Error?.Throw();
                if (batch.Ended)
                {
                    return null;
                }
            }

            lock (_gate)
            {
                if (_current is { } done)
                {
                    _aheadBytes -= done.Bytes;
                    done.Clear();
                    _free.Push(done);
                    Monitor.PulseAll(_gate);
                }

                while (_ready.Count == 0)
                {
                    Monitor.Wait(_gate);
                }

                _current = _ready.Dequeue();
                _next = 0;
            }
        }
    }

    /// <summary>Stops the thread (after the record it is reading) and disposes the reader.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
        _reader.Dispose();
    }

    /// <summary>The thread: fills batches until the input ends, the reader throws, or <see cref="Dispose"/> stops it.</summary>
    private void Produce()
    {
        var start = _reader.Position;
        while (true)
        {
            Batch? batch;
            lock (_gate)
            {
                while (_aheadBytes >= MaxAheadBytes && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                // Batches go round (their arrays grown once): a new array per batch was 3 % of what parse allocated.
                _free.TryPop(out batch);
            }

            batch ??= new Batch();
            try
            {
                var position = start;
                while (batch.Count < BatchRecords && position - start < BatchBytes && !_stopping)
                {
                    var record = _reader.Read();
                    if (record is null)
                    {
                        batch.Ended = true;
                        break;
                    }

                    position = _reader.Position;
                    batch.Add(record, position);
                }
            }
#pragma warning disable CA1031 // Not handled here: handed to the caller, who gets it where the reader would have thrown it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                batch.Error = ExceptionDispatchInfo.Capture(e);
            }

            var end = _reader.Position;
            // At least one byte, so that a batch always counts against the bound.
            batch.Bytes = Math.Max(1, end - start);
            start = end;
            lock (_gate)
            {
                _ready.Enqueue(batch);
                _aheadBytes += batch.Bytes;
                Monitor.PulseAll(_gate);
                if (batch.Ended || batch.Error is not null)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Records read in a row, each with the reader's position after it; then the end of input or an error.</summary>
    private sealed class Batch
    {
        // Structs, not a HeapDumpRecord[]: storing into an array of a non-sealed class costs a type check per record.
        public Entry[] Entries { get; private set; } = new Entry[64];

        public int Count { get; private set; }

        public long Bytes { get; set; }

        public bool Ended { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }

        public void Add(HeapDumpRecord record, long end)
        {
            if (Count == Entries.Length)
            {
                var grown = new Entry[Count * 2];
                Entries.CopyTo(grown, 0);
                Entries = grown;
            }

            Entries[Count++] = new Entry(record, end);
        }

        /// <summary>Empties the batch for reuse, letting its records go.</summary>
        public void Clear()
        {
            Array.Clear(Entries, 0, Count);
            Count = 0;
            Bytes = 0;
        }
    }

    private readonly record struct Entry(HeapDumpRecord Record, long End);
}
