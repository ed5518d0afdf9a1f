namespace GoHeapDump.Validation;

/// <summary>
/// The split: on a file, a second core decodes and checks the second half of the objects while this thread does the
/// first. Decoding alone keeps one core as busy as the Go yardstick keeps it reading the whole file, so one decoding
/// thread cannot keep up with it however the checks are spread.
/// </summary>
/// <remarks>
/// <para>When the objects begin, the later half guesses a record boundary halfway through what is left: the first place
/// in a window there where 16 object records decode one after another (HeapDumpReader.FindObjectBoundary). From there a
/// validation of its own, in this one's state, checks objects until the first record of another kind, on a reader that
/// counts records from <see cref="RelativeIndexBase"/>.</para>
/// <para>Nothing of its work counts until this thread's own reader reaches the guess as a record boundary, in the same
/// state (the objects section, no goroutine, the same params, no cap reached): records decode alike from the same
/// boundary, so its findings are then exactly this thread's had it gone on. Its diagnostics (record indices shifted),
/// tallies and object table are merged in, and the reader skips to where it stopped. A guess inside a record, a state
/// that differs, or tables that would pass the memory cap drop its work, and this thread reads on as if there were no
/// split. The report is the same either way.</para>
/// </remarks>
internal sealed partial class FileValidation
{
    /// <summary>Record indices of the later half count from here until the split is confirmed: far from any real index, and not 0 (S11 looks at record 0).</summary>
    private const long RelativeIndexBase = 1L << 48;

    /// <summary>Objects decoded one after another that make a guess a boundary.</summary>
    private const int BoundaryChain = 16;

    /// <summary>Files smaller than this are read by one thread: a second would cost more to start than it saves.</summary>
    private const long SplitMinimumBytes = 32 << 20;

    /// <summary>Opens the file again, for the later half; null when the input is not a file.</summary>
    private Func<Stream>? _openAgain;

    /// <summary>The reader's position at which <see cref="Split"/> looks again; long.MaxValue when it never will.</summary>
    private long _splitAt = long.MaxValue;

    private LaterObjects? _later;

    /// <summary>On the split's later half: the validation of the file's start, whose memory cap it shares.</summary>
    private readonly FileValidation? _owner;

    /// <summary>What the later half's tables hold, written by its thread: counted against the cap with <see cref="_reserved"/>.</summary>
    private long _laterReserved;

    /// <summary>The later half's reservation: both halves' tables together stay under the cap.</summary>
    private bool ReserveForLaterHalf(long bytes)
    {
        var owner = _owner!;
        if (_options.MaxMemory >= 0 && Volatile.Read(ref owner._reserved) + Interlocked.Add(ref owner._laterReserved, bytes) > _options.MaxMemory)
        {
            // Dropped at the join (_capped): the file's start reads on, and its note names the record one pass names.
            _capped = true;
            _lane.Table.Release();
            return false;
        }

        _reserved += bytes;
        return true;
    }

    /// <summary>Stops the later half and forgets its work; this thread reads on as if there were no split.</summary>
    private void DropLater(string why)
    {
        _later!.Stop();
        _later = null;
        _laterReserved = 0;
        _splitAt = long.MaxValue;
        _lane.MayUseThreadAgain();
        Report.Split = $"dropped: {why}";
    }

    /// <summary>Whether to split a file of <paramref name="length"/> bytes.</summary>
    private bool SplitWanted(long length) =>
        _openAgain is not null && length >= 0 && (_options.Split ?? (Environment.ProcessorCount > 1 && length >= SplitMinimumBytes));

    /// <summary>Called when the reader reaches <see cref="_splitAt"/>: begins the later half, or joins it.</summary>
    private void Split(HeapDumpReader reader)
    {
        if (_later is null)
        {
            Begin(reader);
        }
        else
        {
            Join(reader);
        }
    }

    private void Begin(HeapDumpReader reader)
    {
        if (_maxRank < 2)
        {
            _splitAt = reader.Position; // the objects have not begun: look again after the next record
            return;
        }

        var rest = reader.Length - reader.Position;
        var inline = _maxRank == 2 && !_inGroup && rest >= 4L * _options.SplitWindow && _lane.KeepInline();
        _lane.Drain(); // the first objects' reservations: the cap may already be reached
        if (!inline || _capped)
        {
            _lane.MayUseThreadAgain();
            _splitAt = long.MaxValue;
            return;
        }

        var guess = reader.Position + (long)(rest * _options.SplitFraction);
        _later = new LaterObjects(this, guess);
        _splitAt = guess;
    }

    private void Join(HeapDumpReader reader)
    {
        var later = _later!;
        var boundary = later.WaitForBoundary();
        if (boundary >= 0 && reader.Position < boundary)
        {
            _splitAt = boundary;
            return;
        }

        if (boundary < 0 || reader.Position > boundary)
        {
            DropLater(boundary < 0 ? "no boundary found" : $"the guess {boundary} is inside a record");
            return;
        }

        _splitAt = long.MaxValue;
        later.Wait();
        _later = null;
        _laterReserved = 0; // its table is appended below, reserved again as this one grows
        var found = later.Validation;
        var same = later.Failure is null && later.Records > 0 && _maxRank == 2 && !_inGroup && !_capped
            && ReferenceEquals(found._lane.Rules, _lane.Rules);
        var fits = !found._capped
            && (_options.MaxMemory < 0 || _reserved + _lane.Table.AppendCost(found._lane.Table) <= _options.MaxMemory);
        if (!same || !fits)
        {
            // Read on from here as if there were no split (the cap's note must name the record one pass names).
            Report.Split = !same ? $"dropped: not in the same state at {boundary}" : "dropped: the memory cap";
            _lane.MayUseThreadAgain();
            return;
        }

        Report.Split = $"joined at {boundary}: {later.Records} objects to {later.End}";

        Report.Merge(found.Report, _cap, reader.RecordIndex - RelativeIndexBase);
        for (var k = 0; k < Report.Kinds.Length; k++)
        {
            var theirs = found.Report.Kinds[k];
            Report.Kinds[k] = new KindTally(Report.Kinds[k].Count + theirs.Count, Report.Kinds[k].Bytes + theirs.Bytes);
        }

        _lane.Absorb(found._lane);
        reader.SkipDecoded(later.End, later.Records, later.NonMinimal);
    }

    /// <summary>A validation of objects that begins in this one's state after the params (the objects section).</summary>
    private FileValidation ForLaterObjects()
    {
        var later = new FileValidation(Report.Name, new ValidationOptions
        {
            Profile = _options.Profile,
            MaxDiagnosticsPerRule = _options.MaxDiagnosticsPerRule,
            ContentsLimit = _options.ContentsLimit,
            MaxMemory = _options.MaxMemory,
            BufferSize = _options.BufferSize,
            ObjectBatch = _options.ObjectBatch,
            ObjectThread = false,
            Split = false,
        }, owner: this)
        {
            _paramsSeen = _paramsSeen,
            _ptrSize = _ptrSize,
            _noLinkRegister = _noLinkRegister,
            _bigEndian = _bigEndian,
            _heapKnown = _heapKnown,
            _heapStart = _heapStart,
            _heapEnd = _heapEnd,
            _version = _version,
            _maxRank = _maxRank,
            _maxRankKind = _maxRankKind,
            _goVersion = _goVersion,
            _sizeClasses = _sizeClasses,
            IsGc = IsGc,
            IsGccgo = IsGccgo,
            _mallocHeaders = _mallocHeaders,
        };
        later._lane.Configure(_lane.Rules);
        return later;
    }

    /// <summary>The later half: finds its boundary, then checks objects from there on a thread of its own.</summary>
    private sealed class LaterObjects
    {
        private readonly Func<Stream> _open;
        private readonly HeaderVersion _version;
        private readonly long _guess;
        private readonly int _window;
        private readonly int _bufferSize;
        private readonly ulong _heapStart;
        private readonly ulong _heapEnd;
        private readonly Thread _thread;
        private readonly TaskCompletionSource<long> _boundary = new();
        private volatile bool _stop;

        public LaterObjects(FileValidation owner, long guess)
        {
            _open = owner._openAgain!;
            _version = owner._version;
            _guess = guess;
            _window = owner._options.SplitWindow;
            _bufferSize = owner._options.BufferSize;
            (_heapStart, _heapEnd) = owner._heapKnown ? (owner._heapStart, owner._heapEnd) : (0UL, ulong.MaxValue);
            Validation = owner.ForLaterObjects();
            _thread = new Thread(Run) { IsBackground = true, Name = "heap dump later objects" };
            _thread.Start();
        }

        /// <summary>Its validation: read it after <see cref="Wait"/>.</summary>
        public FileValidation Validation { get; }

        /// <summary>Where the first record it did not check starts.</summary>
        public long End { get; private set; }

        /// <summary>Records it checked (all objects).</summary>
        public long Records { get; private set; }

        /// <summary>Long uvarints in those records.</summary>
        public long NonMinimal { get; private set; }

        /// <summary>What went wrong other than the input (an I/O error, a bug): the split is dropped.</summary>
        public Exception? Failure { get; private set; }

        /// <summary>The guessed boundary, once the search is done; -1 when there is none.</summary>
        public long WaitForBoundary()
        {
            return _boundary.Task.Result;
        }

        /// <summary>Waits until it has checked every object from the boundary on.</summary>
        public void Wait() => _thread.Join();

        /// <summary>Stops it early and waits (its work is dropped).</summary>
        public void Stop()
        {
            _stop = true;
            _thread.Join();
        }

        private void Run()
        {
            try
            {
                using var stream = _open();
                var boundary = FindBoundary(stream);
                _boundary.SetResult(boundary);
                if (boundary >= 0)
                {
                    stream.Position = boundary;
                    Check(stream, boundary);
                }
            }
            catch (Exception e)
            {
                Failure = e;
            }
            finally
            {
                _boundary.TrySetResult(-1);
                Validation._lane.Stop();
            }
        }

        private long FindBoundary(Stream stream)
        {
            stream.Position = _guess;
            var window = new byte[(int)Math.Min(_window, stream.Length - _guess)];
            stream.ReadExactly(window);
            var at = HeapDumpReader.FindObjectBoundary(window, 0, BoundaryChain, _heapStart, _heapEnd);
            return at < 0 ? -1 : _guess + at;
        }

        private void Check(Stream stream, long boundary)
        {
            var validation = Validation;
            using var reader = HeapDumpReader.OpenAt(stream, _version, boundary, RelativeIndexBase, _bufferSize);
            reader.ContentsLimit = validation._options.ContentsLimit;
            validation._reader = reader;
            var stoppedAt = -1L; // the offset of the first record of another kind
            var stoppedNonMinimal = 0;
            try
            {
                while (!_stop && reader.MoveNext())
                {
                    var v = reader.Current;
                    if (v.Kind != RecordKind.Object)
                    {
                        // The end of the objects: the first thread checks what follows.
                        stoppedAt = v.Offset;
                        stoppedNonMinimal = v.NonMinimalUvarints;
                        break;
                    }

                    validation.Check(v);
                }
            }
            catch (HeapDumpFormatException)
            {
                // The first thread reads on from the last record checked here, and meets the error itself.
            }

            // What was checked, from the reader's counts (a failed MoveNext leaves them at the last record read).
            End = stoppedAt >= 0 ? stoppedAt : reader.Position;
            Records = reader.RecordIndex - RelativeIndexBase - (stoppedAt >= 0 ? 1 : 0);
            NonMinimal = reader.NonMinimalUvarintCount - stoppedNonMinimal;
            validation._lane.Complete();
            validation._lane.MergeInto(validation.Report);
        }
    }
}
