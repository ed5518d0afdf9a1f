using System.Buffers;

namespace GoHeapDump.Reference;

/// <summary>
/// The record-level writer: any list of <see cref="HeapDumpRecord"/>s to bytes, under any header variant.
/// For fixtures and mutations, so it writes what it is given: records in any order or kind (otherroot,
/// legacy iface/eface field kinds, a thechar params record under a go1.7 header, no EOF…). It shares
/// only the primitive encoders (<see cref="PrimitiveEncoder"/>) with the reference writer.
/// </summary>
public static class RecordWriter
{
    /// <summary>The header, then every record, as bytes.</summary>
    /// <exception cref="ArgumentException">A record cannot be encoded (params with both or neither of arch and thechar; an Eol field in a field list).</exception>
    public static byte[] ToBytes(HeaderVersion version, IEnumerable<HeapDumpRecord> records)
    {
        using var ms = new MemoryStream();
        Write(ms, version, records);
        return ms.ToArray();
    }

    /// <summary>Writes the header, then every record, to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">A record cannot be encoded.</exception>
    public static void Write(Stream destination, HeaderVersion version, IEnumerable<HeapDumpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(records);
        destination.Write(HeapDumpFormat.HeaderBytes(version));
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            foreach (var record in records)
            {
                var length = GetEncodedLength(record);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var written = Encode(record, buffer);
                destination.Write(buffer, 0, written);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The bytes of one record (tag first).</summary>
    public static byte[] Encode(HeapDumpRecord record)
    {
        var bytes = new byte[GetEncodedLength(record)];
        Encode(record, bytes);
        return bytes;
    }

    /// <summary>Bytes <paramref name="record"/> encodes to.</summary>
    public static int GetEncodedLength(HeapDumpRecord record)
    {
        var e = new Emitter(default, measure: true);
        Emit(ref e, record);
        return e.Length;
    }

    /// <summary>Encodes <paramref name="record"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too short, or the record cannot be encoded.</exception>
    public static int Encode(HeapDumpRecord record, Span<byte> destination)
    {
        var length = GetEncodedLength(record);
        if (destination.Length < length)
        {
            throw new ArgumentException($"the record needs {length} bytes, the destination has {destination.Length}", nameof(destination));
        }

        var e = new Emitter(destination, measure: false);
        Emit(ref e, record);
        return e.Length;
    }

    private static void Emit(ref Emitter e, HeapDumpRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        e.Uvarint((ulong)record.Kind);
        switch (record)
        {
            case EofRecord:
                break;
            case ObjectRecord r:
                e.Uvarint(r.Address);
                e.String(r.Contents.Span);
                e.Fields(r.Fields);
                break;
            case OtherRootRecord r:
                e.String(r.Description.Span);
                e.Uvarint(r.Pointer);
                break;
            case TypeRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.Size);
                e.String(r.Name.Span);
                e.Bool(r.IfaceDataIsPointer);
                break;
            case GoroutineRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.Sp);
                e.Uvarint(r.Goid);
                e.Uvarint(r.Gopc);
                e.Uvarint(r.Status);
                e.Bool(r.IsSystem);
                e.Bool(r.IsBackground);
                e.Uvarint(r.WaitSince);
                e.String(r.WaitReason.Span);
                e.Uvarint(r.Ctxt);
                e.Uvarint(r.M);
                e.Uvarint(r.TopDefer);
                e.Uvarint(r.TopPanic);
                break;
            case StackFrameRecord r:
                e.Uvarint(r.Sp);
                e.Uvarint(r.Depth);
                e.Uvarint(r.ChildSp);
                e.String(r.Contents.Span);
                e.Uvarint(r.EntryPc);
                e.Uvarint(r.Pc);
                e.Uvarint(r.ContinuationPc);
                e.String(r.Name.Span);
                e.Fields(r.Fields);
                break;
            case ParamsRecord r:
                e.Bool(r.BigEndian);
                e.Uvarint(r.PtrSize);
                e.Uvarint(r.HeapStart);
                e.Uvarint(r.HeapEnd);
                switch (r.Arch, r.TheChar)
                {
                    case ({ } arch, null):
                        e.String(arch.Span);
                        break;
                    case (null, { } theChar):
                        e.Uvarint(theChar);
                        break;
                    default:
                        throw new ArgumentException("a params record has exactly one of Arch (go1.7) and TheChar (go1.5/go1.6)", nameof(record));
                }

                e.String(r.VersionInfo.Span);
                e.Uvarint(r.Ncpu);
                break;
            case FinalizerRecordBase r:
                e.Uvarint(r.Object);
                e.Uvarint(r.Funcval);
                e.Uvarint(r.EntryPc);
                e.Uvarint(r.ArgType);
                e.Uvarint(r.ObjectType);
                break;
            case ItabRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.TypeAddress);
                break;
            case OsThreadRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.Id);
                e.Uvarint(r.ProcId);
                break;
            case MemStatsRecord r:
                foreach (var v in r.Scalars.AsSpan())
                {
                    e.Uvarint(v);
                }

                foreach (var v in r.PauseNs.AsSpan())
                {
                    e.Uvarint(v);
                }

                e.Uvarint(r.NumGC);
                break;
            case SegmentRecordBase r:
                e.Uvarint(r.Address);
                e.String(r.Contents.Span);
                e.Fields(r.Fields);
                break;
            case DeferRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.Goroutine);
                e.Uvarint(r.Sp);
                e.Uvarint(r.Pc);
                e.Uvarint(r.Funcval);
                e.Uvarint(r.EntryPc);
                e.Uvarint(r.Link);
                break;
            case PanicRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.Goroutine);
                e.Uvarint(r.ArgType);
                e.Uvarint(r.ArgData);
                e.Uvarint(r.Defer);
                e.Uvarint(r.Link);
                break;
            case MemProfRecord r:
                e.Uvarint(r.Address);
                e.Uvarint(r.Size);
                e.Uvarint((ulong)r.Frames.Count);
                foreach (var frame in r.Frames.AsSpan())
                {
                    e.String(frame.FuncName.Span);
                    e.String(frame.File.Span);
                    e.Uvarint(frame.Line);
                }

                e.Uvarint(r.Allocs);
                e.Uvarint(r.Frees);
                break;
            case AllocSampleRecord r:
                e.Uvarint(r.Object);
                e.Uvarint(r.Bucket);
                break;
            default:
                throw new ArgumentException($"unknown record type {record.GetType().Name}", nameof(record));
        }
    }

    /// <summary>Either measures or writes, so that one description of each record serves both.</summary>
    private ref struct Emitter(Span<byte> destination, bool measure)
    {
        private readonly Span<byte> _dst = destination;
        private readonly bool _measure = measure;

        public int Length { get; private set; }

        public void Uvarint(ulong value) => Length += _measure
            ? PrimitiveEncoder.UvarintLength(value)
            : PrimitiveEncoder.WriteUvarint(_dst[Length..], value);

        public void Bool(bool value) => Length += _measure ? 1 : PrimitiveEncoder.WriteBool(_dst[Length..], value);

        public void String(ReadOnlySpan<byte> value) => Length += _measure
            ? PrimitiveEncoder.StringLength(value.Length)
            : PrimitiveEncoder.WriteString(_dst[Length..], value);

        public void Fields(EquatableArray<Field> fields) => Length += _measure
            ? CheckedFieldListLength(fields.AsSpan())
            : PrimitiveEncoder.WriteFieldList(_dst[Length..], fields.AsSpan());

        private static int CheckedFieldListLength(ReadOnlySpan<Field> fields)
        {
            foreach (var f in fields)
            {
                if (f.Kind == FieldKind.Eol)
                {
                    throw new ArgumentException("a field list holds no Eol entry; the writer adds the end marker");
                }
            }

            return PrimitiveEncoder.FieldListLength(fields);
        }
    }
}
