using System.Globalization;

namespace GoHeapDump.Validation;

/// <summary>What needs the whole file: references to objects and Ms, overlapping objects (V07, R11–R13).</summary>
internal sealed partial class FileValidation
{
    /// <summary>Checks that need the whole file: references to objects and Ms, overlapping objects.</summary>
    private void Finish(Func<Stream>? reopen)
    {
        Report.ObjectCount = _lane.Table.ObjectCount;
        Report.ObjectRunCount = _lane.Table.RunCount;
        FinishGuarantees();
        if (_capped)
        {
            return; // the tables were dropped: the note says which rules went unchecked
        }

        foreach (var r in _goroutineMs)
        {
            if (!_osThreads.Contains(r.Address))
            {
                Add(r.Rule, r.Offset, r.Index, r.Kind, $"m {Hex(r.Address)} has no OS thread record");
            }
        }

        // One ordered scan of the objects answers both: which references point outside every object, and
        // which objects overlap (those are located by a second pass below).
        _objectReferences.Sort((a, b) => a.Address.CompareTo(b.Address));
        var addresses = new ulong[_objectReferences.Count];
        for (var i = 0; i < addresses.Length; i++)
        {
            addresses[i] = _objectReferences[i].Address;
        }

        var outside = new List<int>();
        var overlaps = new Dictionary<(ulong Address, int Occurrence), (ulong RunStart, ulong RunEnd)>();
        _lane.Table.Scan(addresses, outside.Add, (address, occurrence, runStart, runEnd) =>
        {
            if (overlaps.Count < _cap)
            {
                overlaps[(address, occurrence)] = (runStart, runEnd);
            }
            else
            {
                Report.CountOnly(ValidationRules.ObjectOverlap);
            }
        });

        foreach (var i in outside)
        {
            var r = _objectReferences[i];
            Add(r.Rule, r.Offset, r.Index, r.Kind, $"{Hex(r.Address)} is not inside any dumped object");
        }

        if (overlaps.Count > 0)
        {
            LocateOverlaps(overlaps, reopen);
        }
    }

    /// <summary>
    /// The object table keeps address runs, not records, so a second, structure-only pass finds the records
    /// of the few overlapping objects (and of the objects they overlap), replaying how runs were formed.
    /// </summary>
    private void LocateOverlaps(Dictionary<(ulong Address, int Occurrence), (ulong RunStart, ulong RunEnd)> overlaps, Func<Stream>? reopen)
    {
        var offenders = new Dictionary<(ulong, int), (long Offset, long Index, ulong Size)>();
        var others = new Dictionary<(ulong, int), (ulong Address, ulong Size, long Index)>();
        if (reopen is not null)
        {
            var runStarts = new Dictionary<ulong, int>();
            foreach (var key in overlaps.Keys)
            {
                runStarts[key.Address] = 0;
            }

            using var stream = reopen();
            using var reader = HeapDumpReader.Open(stream, leaveOpen: false, _options.BufferSize);
            reader.ContentsLimit = _options.ContentsLimit;
            var first = true;
            var previousEnd = 0UL;
            while (reader.MoveNext())
            {
                var v = reader.Current;
                if (v.Kind != RecordKind.Object)
                {
                    continue;
                }

                var address = v[ObjectValues.Address];
                var size = (ulong)v.ContentsLength;
                var end = address + size < address ? ulong.MaxValue : address + size;
                var isOffender = false;
                if (ObjectTable.StartsRun(first, previousEnd, address) && runStarts.TryGetValue(address, out var seen))
                {
                    runStarts[address] = ++seen;
                    if (overlaps.ContainsKey((address, seen)))
                    {
                        offenders[(address, seen)] = (v.ValueOffset(ObjectValues.Address), v.Index, size);
                        isOffender = true;
                    }
                }

                if (!isOffender)
                {
                    // Is this the object an offender starts inside? The first such in file order is named.
                    foreach (var ((x, occurrence), (runStart, runEnd)) in overlaps)
                    {
                        if (address >= runStart && address < runEnd && address <= x && (x < end || x == address)
                            && !others.ContainsKey((x, occurrence)))
                        {
                            others[(x, occurrence)] = (address, size, v.Index);
                        }
                    }
                }

                first = false;
                previousEnd = end;
            }
        }

        foreach (var (key, _) in overlaps)
        {
            var (offset, index, size) = offenders.TryGetValue(key, out var where) ? where : (-1L, -1L, 0UL);
            var message = others.TryGetValue(key, out var other)
                ? other.Address == key.Address
                    ? $"object {Hex(key.Address)} is dumped again (first as record #{other.Index.ToString(CultureInfo.InvariantCulture)})"
                    : $"object {Hex(key.Address)} ({N(size)} bytes) starts inside object {Hex(other.Address)} ({N(other.Size)} bytes, record #{other.Index.ToString(CultureInfo.InvariantCulture)})"
                : $"object {Hex(key.Address)} overlaps another object";
            Report.Add(ValidationRules.ObjectOverlap, offset, index, RecordKind.Object, message, int.MaxValue);
        }
    }
}
