namespace GoHeapDump.Validation.Tests;

/// <summary>The object table against a plain LINQ oracle, across several chunks, shuffled, with injected overlaps.</summary>
public class ObjectTableTests
{
    /// <param name="seed">The shuffle's and the overlaps' seed.</param>
    /// <param name="count">Objects.</param>
    /// <param name="overlaps">Objects added inside others.</param>
    /// <param name="size">16: one run per object; 32: adjacent objects, a run per block.</param>
    /// <param name="split">Where the objects go to a second table appended to the first (the validator's split); -1: one table.</param>
    [Theory]
    [InlineData(1, 200_000, 0, 16, -1)]
    [InlineData(2, 150_000, 25, 16, -1)]
    [InlineData(3, 70_000, 3, 16, -1)]
    [InlineData(4, 10, 2, 16, -1)]
    [InlineData(5, 200_000, 20, 16, 70_000)]
    [InlineData(6, 150_000, 20, 16, 1)]
    [InlineData(7, 150_000, 20, 32, 65_536 * 256)]
    [InlineData(8, 150_000, 20, 32, 77_777)]
    [InlineData(9, 100, 5, 32, 50)]
    public void Scan_MatchesABruteForceOracle(int seed, int count, int overlaps, int size, int split)
    {
        var random = new Random(seed);
        // Non-adjacent 16-byte objects 32 bytes apart (one run each), dumped in shuffled 256-object blocks.
        var objects = new List<(ulong Address, ulong Size)>();
        var blocks = Enumerable.Range(0, (count + 255) / 256).ToArray();
        random.Shuffle(blocks);
        foreach (var block in blocks)
        {
            for (var i = block * 256; i < Math.Min(count, (block + 1) * 256); i++)
            {
                objects.Add((0x10000 + ((ulong)i * 32), (ulong)size));
            }
        }

        for (var i = 0; i < overlaps; i++)
        {
            // A duplicate, or an object starting 8 bytes into an existing one, at a random place in the file.
            var victim = objects[random.Next(objects.Count)];
            objects.Insert(random.Next(objects.Count), random.Next(2) == 0 ? victim : (victim.Address + 8, 8));
        }

        var references = Enumerable.Range(0, 1000).Select(_ => 0x10000 + (ulong)random.NextInt64(count * 32L + 64)).Order().ToArray();

        var reserved = 0L;
        var table = new ObjectTable { Reserve = b => (reserved += b) > 0 };
        var later = new ObjectTable { Reserve = b => (reserved += b) > 0, Appended = true };
        for (var i = 0; i < objects.Count; i++)
        {
            (split >= 0 && i >= split ? later : table).Add(objects[i].Address, objects[i].Size);
        }

        if (split >= 0)
        {
            reserved -= later.RunCount == 0 ? 0 : ObjectTable.ChunkBytes * ((later.RunCount + 65_535) / 65_536); // what it held is handed over
            table.Append(later);
        }

        // One pass reserves a chunk per 65,536 runs, and a spare for the sort with the first.
        var oneTable = new ObjectTable { Reserve = _ => true };
        foreach (var (address, objectSize) in objects)
        {
            oneTable.Add(address, objectSize);
        }

        Assert.Equal(ObjectTable.ChunkBytes * (((oneTable.RunCount + 65_535) / 65_536) + 1), reserved);

        var outside = new List<int>();
        var found = new List<(ulong, int)>();
        table.Scan(references, outside.Add, (address, occurrence, _, _) => found.Add((address, occurrence)));

        // Oracle: every object is its own run here (none adjacent, except where an injected one is).
        var runs = new List<(ulong Start, ulong End)>();
        var previousEnd = ulong.MaxValue;
        foreach (var (address, objectSize) in objects)
        {
            if (runs.Count > 0 && address == previousEnd)
            {
                runs[^1] = (runs[^1].Start, address + objectSize);
            }
            else
            {
                runs.Add((address, address + objectSize));
            }

            previousEnd = address + objectSize;
        }

        // Stable order by start (file order on ties); a run overlaps when it starts below the furthest end so far.
        var ordered = runs.Select((r, i) => (r.Start, r.End, i)).OrderBy(r => r.Start).ThenBy(r => r.i).ToList();
        var expectedOverlaps = new List<(ulong, int)>();
        var furthest = ordered[0].End;
        var sameStart = 1;
        for (var i = 1; i < ordered.Count; i++)
        {
            sameStart = ordered[i].Start == ordered[i - 1].Start ? sameStart + 1 : 1;
            if (ordered[i].Start < furthest)
            {
                expectedOverlaps.Add((ordered[i].Start, sameStart));
            }

            furthest = Math.Max(furthest, ordered[i].End);
        }

        var expectedOutside = references.Select((a, i) => (a, i))
            .Where(p => !runs.Any(r => p.a >= r.Start && p.a < r.End))
            .Select(p => p.i)
            .ToList();
        Assert.Equal(expectedOutside, outside);
        Assert.Equal(objects.Count, table.ObjectCount);
        Assert.Equal(runs.Count, table.RunCount);
        Assert.Equal(expectedOverlaps, found);
        Assert.Equal(overlaps, found.Count);
    }
}
