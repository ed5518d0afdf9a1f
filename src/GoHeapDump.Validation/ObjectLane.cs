using static GoHeapDump.Validation.FileValidation; // Hex, N: the messages' numbers as the rest of the validator writes them

namespace GoHeapDump.Validation;

/// <summary>What the object lane needs of one object record: its place, and the offsets its diagnostics name.</summary>
/// <remarks>In a record whose uvarints are all minimal (the runtime's way) the offsets follow from the record's offset
/// and address, and are worked out only for a diagnostic: <see cref="Minimal"/>.</remarks>
internal readonly record struct ObjectFact(ulong Address, ulong Size, long Index, long Offset, long GivenAddressOffset, long GivenContentsLengthOffset)
{
    /// <summary>The offset is that of minimal uvarints.</summary>
    public const long Minimal = -2;

    /// <summary>The address's uvarint follows the one-byte tag.</summary>
    public long AddressOffset => GivenAddressOffset == Minimal ? Offset + 1 : GivenAddressOffset;

    /// <summary>The contents' length follows the address.</summary>
    public long ContentsLengthOffset => GivenContentsLengthOffset == Minimal ? AddressOffset + Uvarint.Length(Address) : GivenContentsLengthOffset;
}

/// <summary>What the params said, as the object rules read it; replaced only while the lane is drained.</summary>
internal sealed record ObjectRules(bool HeapKnown, ulong HeapStart, ulong HeapEnd, ulong PtrSize, bool IsGoRuntime, bool[] SizeClasses, GoVersion? GoVersion)
{
    public static readonly ObjectRules Unknown = new(false, 0, 0, 0, false, SizeClassTable.From1_15, null);
}

/// <summary>
/// The per-object rules that need no record view (V03 heap range, V12 address width, V14 alignment, V15 size class),
/// the object table and the byte total, run on the second core while the reading thread decodes the next records:
/// decoding is about half of a validation and these the larger part of the rest, so the two halves overlap.
/// </summary>
/// <remarks>
/// <para>Objects arrive in batches; a dedicated thread starts only when a first full batch fills on a machine with
/// more than one core, so a small dump (the cold start) never starts one. The reading thread drains the lane before
/// any record other than an object (FileValidation.Check), so the lane runs only beside objects being decoded; under
/// a memory cap the table's reservations run on the lane's thread then, naming the lane's record.</para>
/// <para>The report must be the same as a single thread's: the lane adds its diagnostics to a report of its own (the
/// first <c>cap</c> per rule in file order, with the count of all), and <see cref="MergeInto"/> takes, for each rule,
/// the first <c>cap</c> of both threads' in record order. The rules this lane adds are also added by the reading
/// thread for other records (V12 for params and segments), so which ones are kept depends on that merge.</para>
/// </remarks>
internal sealed class ObjectLane
{
    private readonly ValidationReport _report;
    private readonly int _cap;
    private readonly int _batchSize;
    private readonly bool _threadAllowed;
    private bool _mayUseThread;
    private readonly Func<long, long, long, bool>? _reserve;
    private readonly bool _appended;

    // The reading thread's side, written for every object.
    private ObjectFact[] _batch;
    private int _count;

    // The hand-over: full batches queued to the thread, empty ones back, under one lock.
    private readonly object _gate = new();
    private readonly Queue<(ObjectFact[] Batch, int Count)> _queue = new();
    private readonly Stack<ObjectFact[]> _free = new();
    private Thread? _thread;
    private long _posted;
    private long _done;
    private bool _stopping;
    private Exception? _failure;

    // The checking side, written for every object: made by the first check, on the thread that runs it, so that it
    // sits in that thread's allocation area and not on a cache line next to the fields above (sharing one cost a
    // cache miss on every object added: a third of the reading thread's time in Add).
    private Checks? _checks;

    /// <param name="report">Gives each rule's severity under the profile; receives the diagnostics in <see cref="MergeInto"/>.</param>
    /// <param name="cap">Diagnostics kept per rule.</param>
    /// <param name="batchSize">Objects per hand-over; 1 checks each object as it is added.</param>
    /// <param name="thread">Run the checks on a thread of their own once a batch fills (null: when there are two cores or more).</param>
    /// <param name="reserve">Asked before the object table grows, with the bytes and the record (index, offset) it grows for; null: no cap.</param>
    /// <param name="appended">Its table will be appended to another's (the split's later half): it needs no spare chunk to sort.</param>
    public ObjectLane(ValidationReport report, int cap, int batchSize, bool? thread, Func<long, long, long, bool>? reserve, bool appended = false)
    {
        _appended = appended;
        _report = report;
        _cap = cap;
        _batchSize = Math.Max(1, batchSize);
        _threadAllowed = _batchSize > 1 && (thread ?? Environment.ProcessorCount > 1);
        _mayUseThread = _threadAllowed;
        _reserve = reserve;
        _batch = new ObjectFact[Math.Min(_batchSize, FirstBatch)];
    }

    /// <summary>A dump's first objects fill a batch this small, which grows to the full size only when it fills: a small dump allocates no full batch and starts no thread.</summary>
    private const int FirstBatch = 64;

    /// <summary>The objects as address runs (V07, R11–R13 at the end). Read it only after <see cref="Complete"/>, or while the lane is drained.</summary>
    public ObjectTable Table => (_checks ??= new Checks(this)).Table;

    /// <summary>Bytes of all objects (the memstats guarantees). Read it only after <see cref="Complete"/>.</summary>
    public ulong ObjectBytes => _checks?.ObjectBytes ?? 0;

    /// <summary>The params as the rules read them; set through <see cref="Configure"/>.</summary>
    public ObjectRules Rules { get; private set; } = ObjectRules.Unknown;

    /// <summary>Replaces the rules once every object added so far has been checked under the old ones.</summary>
    public void Configure(ObjectRules rules)
    {
        Drain();
        Rules = rules;
    }

    /// <summary>Checks every object on the calling thread from now on (the split gives the second core other work); before any batch is handed over.</summary>
    /// <returns>False when a thread already runs.</returns>
    public bool KeepInline()
    {
        if (_thread is null)
        {
            _mayUseThread = false;
        }

        return _thread is null;
    }

    /// <summary>Undoes <see cref="KeepInline"/>: the split did not begin, or was dropped, and the second core is free again.</summary>
    public void MayUseThreadAgain() => _mayUseThread = _threadAllowed;

    /// <summary>Adds the objects a lane of a later part of the file checked (the split): its table and bytes; its report is merged by the caller.</summary>
    /// <param name="later">Completed.</param>
    public void Absorb(ObjectLane later)
    {
        Drain();
        Table.Append(later.Table);
        _checks!.ObjectBytes += later.ObjectBytes; // Table made them
    }

    /// <summary>Queues an object; checks a full batch (on the lane's thread when there is one).</summary>
    public void Add(in ObjectFact fact)
    {
        _batch[_count++] = fact;
        if (_count == _batch.Length)
        {
            Full();
        }
    }

    /// <summary>Checks every object added so far, and waits for it.</summary>
    public void Drain()
    {
        if (_count > 0)
        {
            if (_thread is null)
            {
                Check(_batch, _count);
                _count = 0;
            }
            else
            {
                Post();
            }
        }

        if (_thread is null)
        {
            return;
        }

        lock (_gate)
        {
            while (_done < _posted && _failure is null)
            {
                Monitor.Wait(_gate);
            }

            if (_failure is not null)
            {
                throw new InvalidOperationException("the object lane failed", _failure);
            }
        }
    }

    /// <summary>Checks the rest and stops the thread: <see cref="Table"/>, <see cref="ObjectBytes"/> and <see cref="MergeInto"/> may be used.</summary>
    public void Complete()
    {
        Drain();
        Stop();
    }

    /// <summary>Stops the thread, without checking what is still queued (after a failure elsewhere); the owner's finally calls it.</summary>
    public void Stop()
    {
        if (_thread is null)
        {
            return;
        }

        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
        _thread = null;
    }

    /// <summary>Adds this lane's diagnostics and counts to the report: per rule, the first <c>cap</c> of both in record order.</summary>
    public void MergeInto(ValidationReport report)
    {
        if (_checks is { } c)
        {
            report.Merge(c.Found, _cap);
        }
    }

    private void Full()
    {
        if (!_mayUseThread)
        {
            Check(_batch, _count);
            _count = 0;
        }
        else if (_batch.Length < _batchSize)
        {
            var grown = new ObjectFact[_batchSize];
            _batch.CopyTo(grown, 0);
            _batch = grown;
        }
        else
        {
            Post();
        }
    }

    private void Post()
    {
        var batch = _batch;
        var count = _count;
        _count = 0;
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("the object lane failed", _failure);
            }

            // Two batches in flight at most: the reader never runs far ahead of the checks, so memory stays flat.
            while (_thread is not null && _posted - _done >= 2 && _failure is null)
            {
                Monitor.Wait(_gate);
            }

            _queue.Enqueue((batch, count));
            _posted++;
            _batch = _free.Count > 0 ? _free.Pop() : new ObjectFact[_batchSize];
            Monitor.PulseAll(_gate);
        }

        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "heap dump object checks" };
            _thread.Start();
        }
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                (ObjectFact[] Batch, int Count) item;
                lock (_gate)
                {
                    while (_queue.Count == 0 && !_stopping)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_queue.Count == 0)
                    {
                        return;
                    }

                    item = _queue.Dequeue();
                }

                Check(item.Batch, item.Count);
                lock (_gate)
                {
                    _free.Push(item.Batch);
                    _done++;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failure = e;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Check(ObjectFact[] batch, int count)
    {
        var rules = Rules;
        var checks = _checks ??= new Checks(this);
        var table = checks.Table;
        var bytes = checks.ObjectBytes;
        checks.Batch = batch;
        for (var i = 0; i < count; i++)
        {
            ref readonly var o = ref batch[i];
            var address = o.Address;
            var size = o.Size;
            bytes += size;
            if (rules.HeapKnown && (address < rules.HeapStart || address > rules.HeapEnd || size > rules.HeapEnd - address))
            {
                checks.Add(ValidationRules.ObjectInHeap, o.AddressOffset, o.Index,
                    $"object {Hex(address)} of {N(size)} bytes is outside the heap [{Hex(rules.HeapStart)}, {Hex(rules.HeapEnd)})");
            }

            if (rules.PtrSize == 4 && (address > uint.MaxValue || size > (ulong)uint.MaxValue + 1 - address))
            {
                checks.Add(ValidationRules.AddressWidth, o.AddressOffset, o.Index, $"object {Hex(address)} of {N(size)} bytes does not fit in 4-byte pointers");
            }

            if (rules.IsGoRuntime)
            {
                if ((address & 7) != 0)
                {
                    checks.Add(ValidationRules.ObjectAligned, o.AddressOffset, o.Index, $"object {Hex(address)} is not 8-byte aligned");
                }

                if (!SizeClassTable.IsSlotSize(rules.SizeClasses, size))
                {
                    checks.Add(ValidationRules.ObjectSizeClass, o.ContentsLengthOffset, o.Index,
                        $"object {Hex(address)} is {N(size)} bytes: no size class of {rules.GoVersion!.Describe()} and not a whole number of 8 KiB pages");
                }
            }

            checks.At = i; // an index, not a copy of the fact: read only when the table reserves
            table.Add(address, size);
        }

        checks.ObjectBytes = bytes;
    }

    /// <summary>What the checks write: the table, the total, and what they found.</summary>
    private sealed class Checks
    {
        private readonly ObjectLane _lane;

        public Checks(ObjectLane lane)
        {
            _lane = lane;
            Found = new ValidationReport(lane._report.Name, lane._report.Profile);
            Table = lane._reserve is { } reserve
                ? new ObjectTable { Reserve = bytes => reserve(bytes, Batch[At].Index, Batch[At].Offset), Appended = lane._appended }
                : new ObjectTable { Appended = lane._appended };
        }

        public ObjectTable Table { get; }

        public ulong ObjectBytes { get; set; }

        /// <summary>The batch being checked, and the object of it being added to the table: the record its reservations are for.</summary>
        public ObjectFact[] Batch { get; set; } = [];

        /// <inheritdoc cref="Batch"/>
        public int At { get; set; }

        /// <summary>The lane's diagnostics, kept and counted as the file's report keeps and counts its own.</summary>
        public ValidationReport Found { get; }

        public void Add(FormatRule rule, long offset, long index, string message) =>
            Found.Add(rule, offset, index, RecordKind.Object, message, _lane._cap);
    }
}
