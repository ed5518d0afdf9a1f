namespace GoHeapDump;

/// <summary>
/// Receives one record's fields from <see cref="RecordFields.Walk"/>, in wire order, under their .ksy ids (the JSONL
/// keys). Each method is one of the format's primitives; what it does with it is the receiver's mode: the record
/// writer encodes bytes, the fixtures' layout records where each field lands, canonical JSONL renders it.
/// </summary>
public interface IRecordFieldVisitor
{
    /// <summary>The record's tag: a uvarint on the wire, <c>"kind"</c> in JSONL.</summary>
    void Tag(RecordKind kind);

    /// <summary>A uvarint.</summary>
    void Uvarint(string name, ulong value);

    /// <summary>A bool (one byte, 0 or 1).</summary>
    void Bool(string name, bool value);

    /// <summary>Memory contents: a uvarint length, then the bytes (hex in JSONL).</summary>
    void Bytes(string name, GoString value);

    /// <summary>Text (names, files, reasons): a uvarint length, then the bytes (a JSON string in JSONL when valid UTF-8).</summary>
    void Text(string name, GoString value);

    /// <summary>A field list: (kind, offset) pairs, then the end marker. Named <c>fields</c> in every record that has one.</summary>
    void FieldList(EquatableArray<Field> fields);

    /// <summary>A fixed number of uvarints with no count on the wire (memstats' <c>pause_ns</c>).</summary>
    void UvarintArray(string name, EquatableArray<ulong> values);

    /// <summary>A list of items preceded on the wire by their count as a uvarint named <paramref name="countName"/>
    /// (in JSONL the count is the array's length). Each item is <see cref="BeginItem"/>, its fields, <see cref="EndItem"/>;
    /// then <see cref="EndList"/>.</summary>
    void BeginList(string countName, string name, int count);

    /// <summary>Item <paramref name="index"/> of the current list begins.</summary>
    void BeginItem(int index);

    /// <summary>The current item ends.</summary>
    void EndItem();

    /// <summary>The current list ends.</summary>
    void EndList();
}

/// <summary>
/// Each record kind's fields, in wire order, stated once (spec/FORMAT.md "Records", the .ksy ids) for everything that
/// writes records: the record writer's bytes, the fixtures' annotated layout and canonical JSONL. The parsers do not
/// use it: they read the format from their own descriptions (the .ksy; the fast reader's decoder).
/// </summary>
public static class RecordFields
{
    /// <summary>Hands <paramref name="record"/>'s tag, then each of its fields, to <paramref name="visitor"/>.</summary>
    /// <remarks>A params record yields <c>arch</c> when it has one and <c>thechar</c> when it has one: the record
    /// writer requires exactly one (go1.7 headers the string, go1.5/go1.6 the uvarint).</remarks>
    /// <exception cref="ArgumentException">An unknown record type.</exception>
    public static void Walk<TVisitor>(HeapDumpRecord record, ref TVisitor visitor)
        where TVisitor : IRecordFieldVisitor, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(record);
        visitor.Tag(record.Kind);
        switch (record)
        {
            case EofRecord:
                break;
            case ObjectRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Bytes("contents", r.Contents);
                visitor.FieldList(r.Fields);
                break;
            case OtherRootRecord r:
                visitor.Text("description", r.Description);
                visitor.Uvarint("pointer", r.Pointer);
                break;
            case TypeRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("size", r.Size);
                visitor.Text("name", r.Name);
                visitor.Bool("iface_data_is_pointer", r.IfaceDataIsPointer);
                break;
            case GoroutineRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("sp", r.Sp);
                visitor.Uvarint("goid", r.Goid);
                visitor.Uvarint("gopc", r.Gopc);
                visitor.Uvarint("status", r.Status);
                visitor.Bool("is_system", r.IsSystem);
                visitor.Bool("is_background", r.IsBackground);
                visitor.Uvarint("wait_since", r.WaitSince);
                visitor.Text("wait_reason", r.WaitReason);
                visitor.Uvarint("ctxt", r.Ctxt);
                visitor.Uvarint("m", r.M);
                visitor.Uvarint("top_defer", r.TopDefer);
                visitor.Uvarint("top_panic", r.TopPanic);
                break;
            case StackFrameRecord r:
                visitor.Uvarint("sp", r.Sp);
                visitor.Uvarint("depth", r.Depth);
                visitor.Uvarint("child_sp", r.ChildSp);
                visitor.Bytes("contents", r.Contents);
                visitor.Uvarint("entry_pc", r.EntryPc);
                visitor.Uvarint("pc", r.Pc);
                visitor.Uvarint("continuation_pc", r.ContinuationPc);
                visitor.Text("name", r.Name);
                visitor.FieldList(r.Fields);
                break;
            case ParamsRecord r:
                visitor.Bool("big_endian", r.BigEndian);
                visitor.Uvarint("ptr_size", r.PtrSize);
                visitor.Uvarint("heap_start", r.HeapStart);
                visitor.Uvarint("heap_end", r.HeapEnd);
                if (r.Arch is { } arch)
                {
                    visitor.Text("arch", arch);
                }

                if (r.TheChar is { } theChar)
                {
                    visitor.Uvarint("thechar", theChar);
                }

                visitor.Text("version_info", r.VersionInfo);
                visitor.Uvarint("ncpu", r.Ncpu);
                break;
            case FinalizerRecordBase r:
                visitor.Uvarint("object", r.Object);
                visitor.Uvarint("funcval", r.Funcval);
                visitor.Uvarint("entry_pc", r.EntryPc);
                visitor.Uvarint("arg_type", r.ArgType);
                visitor.Uvarint("object_type", r.ObjectType);
                break;
            case ItabRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("type_address", r.TypeAddress);
                break;
            case OsThreadRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("id", r.Id);
                visitor.Uvarint("procid", r.ProcId);
                break;
            case MemStatsRecord r:
                for (var i = 0; i < MemStatsRecord.ScalarCount; i++)
                {
                    visitor.Uvarint(MemStatsRecord.ScalarNames[i], r.Scalars[i]);
                }

                visitor.UvarintArray("pause_ns", r.PauseNs);
                visitor.Uvarint("num_gc", r.NumGC);
                break;
            case SegmentRecordBase r:
                visitor.Uvarint("address", r.Address);
                visitor.Bytes("contents", r.Contents);
                visitor.FieldList(r.Fields);
                break;
            case DeferRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("goroutine", r.Goroutine);
                visitor.Uvarint("sp", r.Sp);
                visitor.Uvarint("pc", r.Pc);
                visitor.Uvarint("funcval", r.Funcval);
                visitor.Uvarint("entry_pc", r.EntryPc);
                visitor.Uvarint("link", r.Link);
                break;
            case PanicRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("goroutine", r.Goroutine);
                visitor.Uvarint("arg_type", r.ArgType);
                visitor.Uvarint("arg_data", r.ArgData);
                visitor.Uvarint("defer", r.Defer);
                visitor.Uvarint("link", r.Link);
                break;
            case MemProfRecord r:
                visitor.Uvarint("address", r.Address);
                visitor.Uvarint("size", r.Size);
                visitor.BeginList("num_frames", "frames", r.Frames.Count);
                for (var i = 0; i < r.Frames.Count; i++)
                {
                    var frame = r.Frames[i];
                    visitor.BeginItem(i);
                    visitor.Text("func_name", frame.FuncName);
                    visitor.Text("file", frame.File);
                    visitor.Uvarint("line", frame.Line);
                    visitor.EndItem();
                }

                visitor.EndList();
                visitor.Uvarint("allocs", r.Allocs);
                visitor.Uvarint("frees", r.Frees);
                break;
            case AllocSampleRecord r:
                visitor.Uvarint("object", r.Object);
                visitor.Uvarint("bucket", r.Bucket);
                break;
            default:
                throw new ArgumentException($"unknown record type {record.GetType().Name}", nameof(record));
        }
    }
}
