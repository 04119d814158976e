using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

// The floor of an evaluate run (docs/benchmarks.md): a bare System.Text.Json read and write of the same input, with
// nothing computed and nothing kept. The input file is read in blocks by Utf8JsonReader, and every token is copied by
// Utf8JsonWriter (indented, raw UTF-8, as evaluate writes) to the output file; numbers are copied as their text.
//
//   appraisal-bench-jsonfloor IN.json OUT.json
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: appraisal-bench-jsonfloor IN.json OUT.json");
    return 2;
}

using var input = new FileStream(args[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
using var output = new FileStream(args[1], FileMode.Create, FileAccess.Write, FileShare.None, 1);
using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
var buffer = new byte[1 << 20];
var length = 0;
var state = default(JsonReaderState);
var ended = false;
long tokens = 0;
while (true)
{
    var read = ended ? 0 : input.Read(buffer, length, buffer.Length - length);
    ended |= read == 0;
    length += read;
    var reader = new Utf8JsonReader(buffer.AsSpan(0, length), ended, state);
    while (reader.Read())
    {
        tokens++;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject: writer.WriteStartObject(); break;
            case JsonTokenType.EndObject: writer.WriteEndObject(); break;
            case JsonTokenType.StartArray: writer.WriteStartArray(); break;
            case JsonTokenType.EndArray: writer.WriteEndArray(); break;
            case JsonTokenType.PropertyName: writer.WritePropertyName(reader.ValueSpan); break;
            case JsonTokenType.String: writer.WriteStringValue(reader.ValueSpan); break;
            case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
            case JsonTokenType.True: writer.WriteBooleanValue(true); break;
            case JsonTokenType.False: writer.WriteBooleanValue(false); break;
            case JsonTokenType.Null: writer.WriteNullValue(); break;
            default: break;
        }

        if (writer.BytesPending > 1 << 16)
        {
            writer.Flush();
        }
    }

    if (ended)
    {
        break;
    }

    // Keep the unread tail (a token cut by the block's end) at the start of the buffer.
    state = reader.CurrentState;
    var used = (int)reader.BytesConsumed;
    buffer.AsSpan(used, length - used).CopyTo(buffer);
    length -= used;
    if (length == buffer.Length)
    {
        Array.Resize(ref buffer, buffer.Length * 2);
    }
}

writer.Flush();
output.Write("\n"u8);
Console.Error.WriteLine($"tokens {tokens}, {output.Length} bytes written");
return 0;
