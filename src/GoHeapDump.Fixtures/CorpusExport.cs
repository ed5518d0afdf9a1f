namespace GoHeapDump.Fixtures;

/// <summary>
/// Copies the conformance corpus (what <c>manifest.json</c> lists and describes: <c>valid/</c>, <c>invalid/</c>,
/// <c>real/</c>, the manifest with every expectation, the corpus README) to a new folder, for test runners in other
/// languages. The producer programs and example parsers (sources, not corpus) stay behind. The copy is made in a
/// temporary sibling folder and moved into place, so the target is either complete or absent.
/// </summary>
public static class CorpusExport
{
    /// <summary>What an export holds, relative to the corpus folder.</summary>
    public static readonly string[] Folders = ["valid", "invalid", "real"];

    /// <summary>Top-level files an export holds.</summary>
    public static readonly string[] Files = [CorpusBuilder.ManifestFileName, "README.md"];

    /// <summary>True when <paramref name="target"/> may receive an export: it does not exist, or is an empty folder.
    /// Nothing the user had is ever overwritten.</summary>
    public static bool CanExportTo(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var full = Path.GetFullPath(target);
        return !File.Exists(full) && !(Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any());
    }

    /// <summary>Copies the corpus in <paramref name="source"/> to <paramref name="target"/>, which must not exist or be
    /// an empty folder. Returns the number of files written.</summary>
    /// <exception cref="IOException">The target exists and is not empty, or a copy failed.</exception>
    public static int Export(string source, string target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        target = Path.GetFullPath(target);
        if (!CanExportTo(target))
        {
            throw new IOException($"{target} exists and is not an empty folder");
        }

        var staging = Path.Combine(Path.GetDirectoryName(target) ?? ".", $".{Path.GetFileName(target)}.export-{Guid.NewGuid():N}");
        var count = 0;
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var file in Files.Where(f => File.Exists(Path.Combine(source, f))))
            {
                File.Copy(Path.Combine(source, file), Path.Combine(staging, file));
                count++;
            }

            foreach (var folder in Folders.Where(f => Directory.Exists(Path.Combine(source, f))))
            {
                var root = Path.Combine(source, folder);
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var to = Path.Combine(staging, folder, Path.GetRelativePath(root, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                    File.Copy(file, to);
                    count++;
                }
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(staging, target);
            return count;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
