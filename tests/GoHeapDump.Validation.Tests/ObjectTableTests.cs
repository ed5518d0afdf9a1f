namespace GoHeapDump.Validation.Tests;

/// <summary>The object table against a plain LINQ oracle, across several chunks, shuffled, with injected overlaps.</summary>
public class ObjectTableTests
{
    [Theory]
    [InlineData(1, 200_000, 0)]
    [InlineData(2, 150_000, 25)]
    [InlineData(3, 70_000, 3)]
    [InlineData(4, 10, 2)]
    public void Scan_MatchesABruteForceOracle(int seed, int count, int overlaps)
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
                objects.Add((0x10000 + ((ulong)i * 32), 16));
            }
        }

        for (var i = 0; i < overlaps; i++)
        {
            // A duplicate, or an object starting 8 bytes into an existing one, at a random place in the file.
            var victim = objects[random.Next(objects.Count)];
            objects.Insert(random.Next(objects.Count), random.Next(2) == 0 ? victim : (victim.Address + 8, 8));
        }

        var references = Enumerable.Range(0, 1000).Select(_ => 0x10000 + (ulong)random.NextInt64(count * 32L + 64)).Order().ToArray();

        var table = new ObjectTable();
        foreach (var (address, size) in objects)
        {
            table.Add(address, size);
        }

        var outside = new List<int>();
        var found = new List<(ulong, int)>();
        table.Scan(references, outside.Add, (address, occurrence, _, _) => found.Add((address, occurrence)));

        // Oracle: every object is its own run here (none adjacent, except where an injected one is).
        var runs = new List<(ulong Start, ulong End)>();
        var previousEnd = ulong.MaxValue;
        foreach (var (address, size) in objects)
        {
            if (runs.Count > 0 && address == previousEnd)
            {
                runs[^1] = (runs[^1].Start, address + size);
            }
            else
            {
                runs.Add((address, address + size));
            }

            previousEnd = address + size;
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
