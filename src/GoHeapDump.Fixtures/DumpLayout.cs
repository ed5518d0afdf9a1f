using System.Globalization;

namespace GoHeapDump.Fixtures;

/// <summary>One wire field of a laid-out record: its path (<c>status</c>, <c>contents.body</c>,
/// <c>fields[1].offset</c>), where it starts in the file, and how many bytes it takes.</summary>
public sealed record LaidField(string Path, long Offset, long Length)
{
    /// <summary>The offset just past the field.</summary>
    public long End => Offset + Length;
}

/// <summary>A record's place in the file and the place of each of its fields, the tag first.</summary>
public sealed class RecordLayout
{
    private readonly Dictionary<string, LaidField> _byPath;

    internal RecordLayout(int index, RecordKind kind, IReadOnlyList<LaidField> fields)
    {
        Index = index;
        Kind = kind;
        Fields = fields;
        _byPath = fields.ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    /// <summary>0 = the first record after the header.</summary>
    public int Index { get; }

    public RecordKind Kind { get; }

    /// <summary>Every wire field in order, starting with <c>tag</c>.</summary>
    public IReadOnlyList<LaidField> Fields { get; }

    /// <summary>Offset of the record's tag.</summary>
    public long Offset => Fields[0].Offset;

    /// <summary>Offset just past the record.</summary>
    public long End => Fields[^1].End;

    /// <summary>The field at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">The record has no such field.</exception>
    public LaidField this[string path] => _byPath.TryGetValue(path, out var f)
        ? f
        : throw new KeyNotFoundException($"record #{Index} ({Kind.Name()}) has no field '{path}'; it has {string.Join(", ", _byPath.Keys)}");
}

/// <summary>
/// Where every field of a record list lands in the file, worked out from the format description
/// (spec/FORMAT.md) with its own uvarint length rule. Fixtures use it to state the offset a diagnostic or a
/// parse error must have, and to cut a dump inside a chosen field; it shares no code with the writers or the
/// parsers, and regeneration checks that its record lengths equal the record writer's.
/// </summary>
public static class DumpLayout
{
    /// <summary>Lays out <paramref name="records"/> after a 16-byte header.</summary>
    public static IReadOnlyList<RecordLayout> Of(IReadOnlyList<HeapDumpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var result = new List<RecordLayout>(records.Count);
        long at = HeapDumpFormat.HeaderLength;
        for (var i = 0; i < records.Count; i++)
        {
            var fields = new List<LaidField>();
            var cursor = new Cursor(fields, at);
            Lay(ref cursor, records[i]);
            result.Add(new RecordLayout(i, records[i].Kind, fields));
            at = cursor.At;
        }

        return result;
    }

    /// <summary>Bytes a uvarint of <paramref name="value"/> takes in its shortest form: 7 bits per byte.</summary>
    public static int UvarintBytes(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private ref struct Cursor(List<LaidField> fields, long at)
    {
        private readonly List<LaidField> _fields = fields;

        public long At { get; private set; } = at;

        public void Uvarint(string path, ulong value) => Add(path, UvarintBytes(value));

        public void Bool(string path) => Add(path, 1);

        public void String(string path, GoString value)
        {
            Add(path + ".len", UvarintBytes((ulong)value.Length));
            Add(path + ".body", value.Length);
        }

        public void Fields(EquatableArray<Field> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var prefix = string.Create(CultureInfo.InvariantCulture, $"fields[{i}]");
                Uvarint(prefix + ".kind", (ulong)list[i].Kind);
                Uvarint(prefix + ".offset", list[i].Offset);
            }

            Add("fields.eol", 1);
        }

        private void Add(string path, long length)
        {
            _fields.Add(new LaidField(path, At, length));
            At += length;
        }
    }

    // Field order and primitives follow spec/FORMAT.md, "Records" (the .ksy ids).
    private static void Lay(ref Cursor c, HeapDumpRecord record)
    {
        c.Uvarint("tag", (ulong)record.Kind);
        switch (record)
        {
            case EofRecord:
                break;
            case ObjectRecord r:
                c.Uvarint("address", r.Address);
                c.String("contents", r.Contents);
                c.Fields(r.Fields);
                break;
            case OtherRootRecord r:
                c.String("description", r.Description);
                c.Uvarint("pointer", r.Pointer);
                break;
            case TypeRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("size", r.Size);
                c.String("name", r.Name);
                c.Bool("iface_data_is_pointer");
                break;
            case GoroutineRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("sp", r.Sp);
                c.Uvarint("goid", r.Goid);
                c.Uvarint("gopc", r.Gopc);
                c.Uvarint("status", r.Status);
                c.Bool("is_system");
                c.Bool("is_background");
                c.Uvarint("wait_since", r.WaitSince);
                c.String("wait_reason", r.WaitReason);
                c.Uvarint("ctxt", r.Ctxt);
                c.Uvarint("m", r.M);
                c.Uvarint("top_defer", r.TopDefer);
                c.Uvarint("top_panic", r.TopPanic);
                break;
            case StackFrameRecord r:
                c.Uvarint("sp", r.Sp);
                c.Uvarint("depth", r.Depth);
                c.Uvarint("child_sp", r.ChildSp);
                c.String("contents", r.Contents);
                c.Uvarint("entry_pc", r.EntryPc);
                c.Uvarint("pc", r.Pc);
                c.Uvarint("continuation_pc", r.ContinuationPc);
                c.String("name", r.Name);
                c.Fields(r.Fields);
                break;
            case ParamsRecord r:
                c.Bool("big_endian");
                c.Uvarint("ptr_size", r.PtrSize);
                c.Uvarint("heap_start", r.HeapStart);
                c.Uvarint("heap_end", r.HeapEnd);
                if (r.Arch is { } arch)
                {
                    c.String("arch", arch);
                }
                else
                {
                    c.Uvarint("thechar", r.TheChar ?? 0);
                }

                c.String("version_info", r.VersionInfo);
                c.Uvarint("ncpu", r.Ncpu);
                break;
            case FinalizerRecordBase r:
                c.Uvarint("object", r.Object);
                c.Uvarint("funcval", r.Funcval);
                c.Uvarint("entry_pc", r.EntryPc);
                c.Uvarint("arg_type", r.ArgType);
                c.Uvarint("object_type", r.ObjectType);
                break;
            case ItabRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("type_address", r.TypeAddress);
                break;
            case OsThreadRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("id", r.Id);
                c.Uvarint("procid", r.ProcId);
                break;
            case MemStatsRecord r:
                for (var i = 0; i < MemStatsRecord.ScalarCount; i++)
                {
                    c.Uvarint(MemStatsRecord.ScalarNames[i], r.Scalars[i]);
                }

                for (var i = 0; i < r.PauseNs.Count; i++)
                {
                    c.Uvarint(string.Create(CultureInfo.InvariantCulture, $"pause_ns[{i}]"), r.PauseNs[i]);
                }

                c.Uvarint("num_gc", r.NumGC);
                break;
            case SegmentRecordBase r:
                c.Uvarint("address", r.Address);
                c.String("contents", r.Contents);
                c.Fields(r.Fields);
                break;
            case DeferRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("goroutine", r.Goroutine);
                c.Uvarint("sp", r.Sp);
                c.Uvarint("pc", r.Pc);
                c.Uvarint("funcval", r.Funcval);
                c.Uvarint("entry_pc", r.EntryPc);
                c.Uvarint("link", r.Link);
                break;
            case PanicRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("goroutine", r.Goroutine);
                c.Uvarint("arg_type", r.ArgType);
                c.Uvarint("arg_data", r.ArgData);
                c.Uvarint("defer", r.Defer);
                c.Uvarint("link", r.Link);
                break;
            case MemProfRecord r:
                c.Uvarint("address", r.Address);
                c.Uvarint("size", r.Size);
                c.Uvarint("num_frames", (ulong)r.Frames.Count);
                for (var i = 0; i < r.Frames.Count; i++)
                {
                    var prefix = string.Create(CultureInfo.InvariantCulture, $"frames[{i}]");
                    c.String(prefix + ".func_name", r.Frames[i].FuncName);
                    c.String(prefix + ".file", r.Frames[i].File);
                    c.Uvarint(prefix + ".line", r.Frames[i].Line);
                }

                c.Uvarint("allocs", r.Allocs);
                c.Uvarint("frees", r.Frees);
                break;
            case AllocSampleRecord r:
                c.Uvarint("object", r.Object);
                c.Uvarint("bucket", r.Bucket);
                break;
            default:
                throw new ArgumentException($"unknown record type {record.GetType().Name}", nameof(record));
        }
    }
}
