using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using Kaitai;

namespace GoHeapDump.Kaitai;

/// <summary>
/// Finds which .ksy attribute a failed read was in, from the half-built generated objects.
/// </summary>
/// <remarks>
/// <para>The generated code (compiled without auto-read) assigns every attribute that is a user type before
/// reading it, and adds a list element before reading it too, so after a failure the objects hold every
/// attribute read so far plus the one that failed. Following the last assigned attribute from the record
/// down leads to the failing one. A byte-array attribute is assigned only after a successful read, so when
/// the last assigned attribute is complete, the failure is in the one after it.</para>
/// <para>Attribute order comes from the generated fields' declaration order (seq attributes are the
/// <c>_name</c> fields that are neither instances, which have an <c>f_name</c> flag, nor parameters, which
/// have a <c>p_name</c> constructor parameter). Error path only: reflection is fine here.</para>
/// <para>A type whose last attribute is conditional and absent counts as incomplete; in this spec that is
/// only <c>field</c> (no offset after eol), and a field entry is never followed by another attribute.</para>
/// </remarks>
internal static class PartialRead
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> SeqFieldsCache = new();

    /// <summary>One step of the path: a generated object and the index of the seq attribute being read in it.</summary>
    internal readonly record struct Step(KaitaiStruct Struct, int SeqIndex);

    /// <summary>The chain from <paramref name="root"/> down to the innermost attribute being read.</summary>
    public static IReadOnlyList<Step> Locate(KaitaiStruct root)
    {
        var chain = new List<Step>();
        var current = root;
        while (true)
        {
            var (index, child) = LocateIn(current);
            chain.Add(new Step(current, index));
            if (child is null)
            {
                return chain;
            }

            current = child;
        }
    }

    /// <summary>
    /// The chain from <paramref name="root"/> down to the object of the type named in
    /// <paramref name="srcPath"/> (<c>/types/go_bool/seq/1</c>), whose check failed. A failed check's
    /// attribute is assigned before the check runs, so completeness cannot guide this walk: it follows the
    /// last assigned attribute until it reaches the checked type.
    /// </summary>
    public static IReadOnlyList<Step> LocateCheck(KaitaiStruct root, string srcPath)
    {
        ArgumentNullException.ThrowIfNull(srcPath);
        var parts = srcPath.Split('/');
        var typeName = parts.Length > 2 && parts[1] == "types" ? parts[2] : "";
        var chain = new List<Step>();
        KaitaiStruct? current = root;
        while (current is not null)
        {
            var fields = SeqFieldsOf(current);
            if (KsyTypeName(current.GetType()) == typeName)
            {
                chain.Add(new Step(current, -1));
                return chain;
            }

            KaitaiStruct? next = null;
            var index = -1;
            for (var i = fields.Length - 1; i >= 0 && next is null; i--)
            {
                if (fields[i].FieldType.IsValueType)
                {
                    continue;
                }

                next = fields[i].GetValue(current) switch
                {
                    KaitaiStruct child => child,
                    IList { Count: > 0 } list when list[^1] is KaitaiStruct last => last,
                    _ => null,
                };
                index = i;
                if (fields[i].GetValue(current) is not null && next is null)
                {
                    break;
                }
            }

            chain.Add(new Step(current, index));
            current = next;
        }

        // The checked type was not found below the root: report the path the check carries on its own.
        return [new Step(root, -1)];
    }

    /// <summary>
    /// The chain as .ksy paths joined by " > ", e.g. <c>/types/record/seq/2 > /types/object_record/seq/1 > /types/go_string/seq/1</c>.
    /// <paramref name="leafSrcPath"/>, the path a validation error carries, replaces the innermost step.
    /// </summary>
    public static string Render(IReadOnlyList<Step> chain, string? leafSrcPath)
    {
        var text = new StringBuilder();
        for (var i = 0; i < chain.Count; i++)
        {
            if (i > 0)
            {
                text.Append(" > ");
            }

            if (i == chain.Count - 1 && leafSrcPath is not null)
            {
                text.Append(leafSrcPath);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"/types/{KsyTypeName(chain[i].Struct.GetType())}/seq/{chain[i].SeqIndex}");
            }
        }

        return text.ToString();
    }

    /// <summary>The .ksy id of a generated type (PascalCase class name back to snake_case).</summary>
    public static string KsyTypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = type.Name;
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>The seq attributes' backing fields of a generated type, in .ksy order.</summary>
    public static FieldInfo[] SeqFields([DynamicallyAccessedMembers(KaitaiStruct.PartialReadMembers)] Type type) =>
        SeqFieldsCache.TryGetValue(type, out var cached) ? cached : SeqFieldsCache.GetOrAdd(type, FindSeqFields(type));

    private static FieldInfo[] SeqFieldsOf(KaitaiStruct s) => SeqFields(s.GetType());

    // Not a GetOrAdd factory: a lambda's parameter cannot carry the annotation the trimming analysis needs.
    private static FieldInfo[] FindSeqFields([DynamicallyAccessedMembers(KaitaiStruct.PartialReadMembers)] Type t)
    {
        var all = t.GetFields(BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in all)
        {
            names.Add(f.Name);
        }

        var parameters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ctor in t.GetConstructors())
        {
            foreach (var p in ctor.GetParameters())
            {
                parameters.Add(p.Name ?? "");
            }
        }

        var seq = new List<FieldInfo>();
        foreach (var f in all)
        {
            if (f.Name.StartsWith('_') && !names.Contains("f" + f.Name) && !parameters.Contains("p" + f.Name))
            {
                seq.Add(f);
            }
        }

        return [.. seq];
    }

    /// <summary>True when every attribute of <paramref name="s"/> was read.</summary>
    public static bool IsComplete(KaitaiStruct s) => LocateIn(s).Index >= SeqFieldsOf(s).Length;

    private static (int Index, KaitaiStruct? Child) LocateIn(KaitaiStruct s)
    {
        var fields = SeqFieldsOf(s);
        if (s is GoHeapdump.Uvarint uvarint)
        {
            return (UvarintProgress(uvarint, fields.Length), null);
        }

        for (var i = fields.Length - 1; i >= 0; i--)
        {
            if (fields[i].FieldType.IsValueType)
            {
                // Cannot tell read from unread (only the header's u1 is a value outside uvarints); look further back.
                continue;
            }

            switch (fields[i].GetValue(s))
            {
                case null:
                    continue;
                case KaitaiStruct child:
                    return IsComplete(child) ? (i + 1, null) : (i, child);
                case byte[]:
                    // A byte array is assigned after its read succeeded.
                    return (i + 1, null);
                case IList list:
                    if (list.Count > 0 && list[^1] is KaitaiStruct last)
                    {
                        return IsComplete(last) ? (i + 1, null) : (i, last);
                    }

                    // No element was started: the repeat ended (a count of 0).
                    return (i + 1, null);
                default:
                    // Any other value (none in this spec) is assigned after its read, like a byte array.
                    return (i + 1, null);
            }
        }

        return (0, null);
    }

    /// <summary>
    /// The index of the byte a uvarint is reading (b0 to b9), or <paramref name="complete"/> once a byte without the
    /// continuation bit, or the 10th, was read. b1 to b9 are conditional, so null until read; b0 is a plain byte, 0 until
    /// read, and 0 is taken as unread: a uvarint that read 0 is complete, and a complete one is only consulted when
    /// nothing after it was assigned, which in this spec means a failed byte array: a string body, empty after a 0 length.
    /// </summary>
    private static int UvarintProgress(GoHeapdump.Uvarint u, int complete)
    {
        byte?[] later = [u.B1, u.B2, u.B3, u.B4, u.B5, u.B6, u.B7, u.B8, u.B9];
        var read = 1; // bytes read, b0 included
        while (read < HeapDumpFormat.MaxUvarintLength && later[read - 1] is not null)
        {
            read++;
        }

        if (read == 1 && u.B0 == 0)
        {
            return 0;
        }

        var last = read == 1 ? u.B0 : later[read - 2]!.Value;
        return read == HeapDumpFormat.MaxUvarintLength || last < 0x80 ? complete : read;
    }
}
