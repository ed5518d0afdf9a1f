using System.Runtime.CompilerServices;

namespace GoHeapDump.Validation;

/// <summary>Objects, data and bss: the field lists (V03–V06, S15); the rest of an object's rules are the lane's (ObjectLane).</summary>
internal sealed partial class FileValidation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per object, on the objects' path of Check
    private void CheckObject(HeapDumpRecordView v)
    {
        var address = v[ObjectValues.Address];
        var size = (ulong)v.ContentsLength;
        _lane.Add(v.NonMinimalUvarints == 0
            ? new ObjectFact(address, size, v.Index, v.Offset, ObjectFact.Minimal, ObjectFact.Minimal)
            : new ObjectFact(address, size, v.Index, v.Offset, v.ValueOffset(ObjectValues.Address), v.ContentsLengthOffset));
        if (_mallocHeaders)
        {
            CheckMallocHeader(v, address, size);
        }

        if (!FieldsLookFine(v.FieldSummary, size))
        {
            CheckFields(v, size);
        }
    }

    /// <summary>The summary shows no field rule broken, so the list need not be walked.</summary>
    /// <remarks>By reference: built from the reader's fields a member at a time, the summary copied by value was read
    /// back as one 16-byte load that store forwarding cannot serve, a stall on every object (7 % of a validation).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per object
    private bool FieldsLookFine(in FieldListSummary summary, ulong size)
    {
        if (summary.Count == 0)
        {
            return true;
        }

        var width = _ptrSize == 0 ? 1UL : _ptrSize;
        return summary.AllPtr
            && summary.StrictlyIncreasing
            && (_ptrSize == 0 || (summary.OffsetsOr & (_ptrSize - 1)) == 0)
            && summary.LastOffset <= size && size - summary.LastOffset >= width;
    }

    /// <summary>Objects, data and bss: fields are aligned, inside the contents, strictly increasing. One diagnostic per rule per record.</summary>
    private void CheckFields(HeapDumpRecordView v, ulong size)
    {
        var ptrSize = _ptrSize;
        var width = ptrSize == 0 ? 1UL : ptrSize;
        var first = true;
        var previous = 0UL;
        bool legacy = false, misaligned = false, outside = false, unordered = false;
        foreach (var f in v.Fields)
        {
            if (f.Kind != FieldKind.Ptr && !legacy)
            {
                legacy = true;
                Add(ValidationRules.LegacyFieldKind, f.KindPosition, v.Index, v.Kind, $"field kind {f.Kind.Name()} at offset {N(f.Offset)}");
            }

            if (ptrSize != 0 && (f.Offset & (ptrSize - 1)) != 0 && !misaligned)
            {
                misaligned = true;
                Add(ValidationRules.FieldAligned, f.Position, v.Index, v.Kind, $"field offset {N(f.Offset)} is not a multiple of the pointer size {N(ptrSize)}");
            }

            if ((f.Offset > size || size - f.Offset < width) && !outside)
            {
                outside = true;
                Add(ValidationRules.FieldInContents, f.Position, v.Index, v.Kind,
                    $"a {N(width)}-byte field at offset {N(f.Offset)} does not fit in {N(size)} bytes of contents");
            }

            if (!first && f.Offset <= previous && !unordered)
            {
                unordered = true;
                Add(ValidationRules.FieldOrder, f.Position, v.Index, v.Kind, $"field offset {N(f.Offset)} follows {N(previous)}");
            }

            first = false;
            previous = f.Offset;
        }
    }
}
