using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reprise.Core.Json;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Redacts a JSON body in one streaming pass with <see cref="Utf8JsonReader"/>: only the tokens that
/// change are rewritten (bytes between them are copied as they were), so the output is valid JSON of
/// the same shape and formatting. Values are checked on their UTF-8 bytes first and decoded only when
/// a rule, a field name or a detector could apply. NDJSON and truncated bodies are handled.
/// </summary>
internal static class JsonBodyRedactor
{
    private const int MemoDepths = 16;
    private const int MemoWidth = 64;

    [ThreadStatic]
    private static FieldName?[]? t_memo;

    [ThreadStatic]
    private static RedactionModel? t_memoModel;

    // The path and container stacks of the last body redacted on this thread (taken while in use, so a nested
    // redaction of a JSON value inside a JSON body gets its own): one pair of lists per thread, not per body.
    [ThreadStatic]
    private static (List<PathSegment> Path, List<Container> Containers)? t_stacks;

    [ThreadStatic]
    private static StringBuilder? t_location;

    internal static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // Printable ASCII that JSON strings hold unescaped (UnsafeRelaxedJsonEscaping leaves all of these as they are).
    private static readonly SearchValues<char> PlainJsonChars = SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Returns the redacted body, or null when nothing changed. Throws <see cref="JsonException"/> on invalid JSON.</summary>
    public static byte[]? Redact(ReadOnlySpan<byte> json, bool truncated, RedactionSession session, string location)
    {
        var bom = "\uFEFF"u8;
        if (json.StartsWith(bom))
        {
            // Utf8JsonReader rejects a byte order mark: redact what follows it and keep the mark in the output.
            var inner = RedactJson(json[bom.Length..], truncated, session, location);
            return inner is null ? null : [.. bom, .. inner];
        }

        return RedactJson(json, truncated, session, location);
    }

    private static byte[]? RedactJson(ReadOnlySpan<byte> json, bool truncated, RedactionSession session, string location)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: !truncated, new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Allow,
            MaxDepth = 512,
            AllowMultipleValues = true,
        }));
        // Taken from the thread while in use and given back at the end (an exception just leaves the thread without them).
        var (path, containers) = t_stacks ?? (new List<PathSegment>(16), new List<Container>(16));
        t_stacks = null;
        List<Edit>? edits = null;
        List<Deferred>? deferred = null;
        FieldName? pending = null;
        var hasRules = HasRules(session);
        var builtInOnly = session.Model.BuiltInValueDetectorsOnly;
        var memo = NameMemo(session.Model);
        var loginSecrets = RpcLogin(json, hasRules, session, location, ref edits);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pending = ReadName(ref reader, session.Model, containers, memo);
                    if (pending.MayHoldData && RedactPropertyName(ref reader, pending.Raw, path, session, location, ref edits) is { } redactedKey)
                    {
                        // The key is personal data: the locations of the values under it name the replacement, never the key.
                        pending = session.Model.FieldNameOf(redactedKey);
                    }
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var nested = containers.Count > 0;
                    var segment = Next(containers, pending, out var normalized);
                    if (nested)
                    {
                        path.Add(segment);
                    }

                    if (normalized is { IsSearchTerm: true } && reader.TokenType == JsonTokenType.StartObject && session.Side == RuleScope.Request)
                    {
                        session.HasJsonSearchTerm = true; // an object a search member holds ({"match":{"customer":"…"}}): its members are terms
                    }

                    containers.Add(new Container(reader.TokenType == JsonTokenType.StartArray, normalized, nested));
                    pending = null;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    if (containers.Count > 0)
                    {
                        if (deferred is { Count: > 0 } && deferred[^1].Container == containers.Count - 1)
                        {
                            ResolveDeferred(deferred, containers, session, ref edits);
                        }

                        if (containers[^1].HasSegment)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        containers.RemoveAt(containers.Count - 1);
                    }

                    break;
                case JsonTokenType.String:
                case JsonTokenType.Number:
                    var inContainer = containers.Count > 0;
                    var valueSegment = Next(containers, pending, out var field);
                    var inArray = inContainer && containers[^1].IsArray;
                    if (inArray && Top(containers).Flag is { } flag)
                    {
                        // A command line as an array (["--api-token", "ghp_…"]): the value after a flag is that flag's field.
                        field = flag;
                    }
                    else if (inContainer && !inArray && Top(containers).Flag is { } named && field is { Normalized: "value" } && reader.TokenType == JsonTokenType.String)
                    {
                        // A name/value pair ({"macro": "{$DB.PASSWORD}", "value": "…"}): the value is the field its pair names.
                        field = named;
                    }
                    else if (inContainer && !inArray && field is { Normalized: "value" } && reader.TokenType == JsonTokenType.String
                        && PairNameAhead(reader, session.Model) is { } namedAfter)
                    {
                        // The same pair written value first ({"value": "…", "name": "DB_PASSWORD"}): members have no order.
                        field = namedAfter;
                    }

                    if (field is { IsSearchTerm: true } && reader.TokenType == JsonTokenType.String && session.Side == RuleScope.Request)
                    {
                        session.HasJsonSearchTerm = true; // NameSearchTerms reads the body again only then
                    }

                    if (loginSecrets is not null && IsLoginSecret(loginSecrets, (int)reader.TokenStartIndex) && !(hasRules && RuleSelects(session, [.. path, valueSegment])))
                    {
                        // A positional login secret, judged as a password above.
                    }
                    else if (hasRules || (field is not null && (field.NeedsParent || field.Candidates.Length > 0)) || !IsPlainScalar(ref reader, builtInOnly))
                    {
                        // JSON-path rules match on the value's full path; otherwise its segment is added only to a location string.
                        var pushed = inContainer && hasRules;
                        if (pushed)
                        {
                            path.Add(valueSegment);
                        }

                        RedactScalar(ref reader, path, inContainer && !hasRules ? valueSegment : null, field, containers, hasRules, session, location, ref edits, ref deferred);
                        if (pushed)
                        {
                            path.RemoveAt(path.Count - 1);
                        }
                    }

                    if (inArray)
                    {
                        Top(containers).Flag = reader.TokenType == JsonTokenType.String ? FlagField(ref reader, session.Model) : null;
                    }
                    else if (inContainer && field is { IsPairName: true } && reader.TokenType == JsonTokenType.String
                        && PairNamedField(ref reader, session.Model) is { } pairField)
                    {
                        Top(containers).Flag = pairField;
                    }

                    if (inContainer)
                    {
                        if (field is { IsPersonEvidence: true } && reader.ValueSpan.Length > 0 && !containers[^1].IsArray)
                        {
                            // An email, phone, first name or birth date beside it: the object describes a person.
                            Top(containers).Evidence = true;
                        }
                        else if (field is { IsSignUpEvidence: true } && reader.ValueSpan.Length > 0 && !containers[^1].IsArray)
                        {
                            // A password beside it: a person signing up, or a connection, network or service account.
                            Top(containers).SignUp = true;
                        }
                    }

                    pending = null;
                    break;
                case JsonTokenType.Comment:
                    var comment = reader.GetComment();
                    if (session.RedactText(comment, location + ":comment") is { } redactedComment)
                    {
                        (edits ??= []).Add(new Edit((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex), Encoding.UTF8.GetBytes("/*" + redactedComment.Replace("*/", "* /", StringComparison.Ordinal) + "*/")));
                    }

                    break;
                default:
                    if (containers.Count == 0 || !containers[^1].IsArray)
                    {
                        pending = null;
                    }
                    else
                    {
                        Top(containers).Index++;
                    }

                    break;
            }
        }

        while (deferred is { Count: > 0 })
        {
            // A truncated body leaves objects open: their names are decided on the evidence seen so far.
            ResolveDeferred(deferred, containers, session, ref edits);
        }

        if (truncated && reader.BytesConsumed < json.Length)
        {
            RedactTail(json[(int)reader.BytesConsumed..], (int)reader.BytesConsumed, pending?.Normalized ?? string.Empty, session, location, ref edits);
        }

        path.Clear();
        containers.Clear();
        if (containers.Capacity <= 256 && path.Capacity <= 256)
        {
            // A pathologically deep body does not leave its large stacks behind on the thread.
            t_stacks = (path, containers);
        }

        return edits is null ? null : Apply(json, edits);
    }

    /// <summary>
    /// A JSON-RPC login (<c>{"method": "auth.login", "params": ["…"]}</c>: Deluge's web API) passes its credentials as
    /// positional parameters, with no field name a detector could see: Deluge's password went to the recording raw, and
    /// <c>scan</c> called it clean. As for an XML-RPC login (<see cref="XmlBodyRedactor.IsLoginMethod"/>), the string
    /// parameters after the first (the user name) are judged as a <c>password</c> field; a login with a single parameter
    /// names no user, so that one is the secret. A method that sets or checks a password (<c>auth.change_password</c>,
    /// <c>user.setPassword</c>) carries nothing but passwords and the account they belong to, so each of its string
    /// parameters is judged so. A JSON-RPC 2.0 batch (<c>[{…}, {…}]</c>) is each of its calls. Null when the body holds no
    /// such call; else each parameter's string token (start, length, index, the call's index in a batch or -1).
    /// <paramref name="loginCall"/> is set when the body is one call (an object, not a batch) whose <c>method</c> is a
    /// login (<see cref="XmlBodyRedactor.IsLoginMethod"/>), whatever its parameters: its answer's bare string result is
    /// the session token (<see cref="RedactLoginResult"/>).
    /// </summary>
    internal static List<(int Start, int Length, int Index, int Call)>? RpcLoginSecrets(ReadOnlySpan<byte> json, out bool loginCall)
    {
        loginCall = false;
        if (json.IndexOf("\"method\""u8) < 0)
        {
            return null; // one scan decides for most bodies: without a "method" member there is no call
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        List<(int Start, int Length, int Index, int Call)>? secrets = null;
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadRpcCall(ref reader, -1, ref secrets, ref loginCall);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                for (var call = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; call++)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var inBatch = false;
                        ReadRpcCall(ref reader, call, ref secrets, ref inBatch);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return secrets;
    }

    /// <summary>
    /// One call's secrets (<see cref="RpcLoginSecrets"/>), the reader on its <c>{</c>; leaves it on its <c>}</c>.
    /// <paramref name="loginCall"/> is set when any <c>method</c> member is a login; the parameters are judged by the last
    /// one, as PHP and Python parsers read a repeated member.
    /// </summary>
    private static void ReadRpcCall(ref Utf8JsonReader reader, int call, ref List<(int Start, int Length, int Index, int Call)>? secrets, ref bool loginCall)
    {
        string? method = null;
        List<(int Start, int Length, int Index, int Call)>? strings = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMethod = reader.ValueTextEquals("method"u8);
            var isParams = reader.ValueTextEquals("params"u8);
            reader.Read();
            if (isMethod && reader.TokenType == JsonTokenType.String)
            {
                method = JsonStrings.Read(ref reader);
                loginCall |= XmlBodyRedactor.IsLoginMethod(method);
            }
            else if (isParams && reader.TokenType == JsonTokenType.StartArray)
            {
                strings = [];
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        strings.Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, index, call));
                    }
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }

                    index++;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (method is null || strings is not { Count: > 0 })
        {
            return;
        }

        if (!IsPasswordMethod(method))
        {
            if (!XmlBodyRedactor.IsLoginMethod(method))
            {
                return;
            }

            var single = strings.Count == 1 && strings[0].Index == 0;
            strings.RemoveAll(s => s.Index == 0 && !single);
        }

        (secrets ??= []).AddRange(strings);
    }

    /// <summary>
    /// A method that sets, changes or checks a password by its last name segment (<c>auth.change_password</c>,
    /// <c>user.setPassword</c>, <c>verifyPassphrase</c>); not one that reads about passwords (<c>getPasswordPolicy</c>).
    /// </summary>
    internal static bool IsPasswordMethod(string method)
    {
        var name = FieldNames.Normalize(method.AsSpan()[(method.LastIndexOfAny(['.', '/', ':']) + 1)..]);
        return (name.Contains("password", StringComparison.Ordinal) || name.Contains("passwd", StringComparison.Ordinal) || name.Contains("passphrase", StringComparison.Ordinal))
            && !name.StartsWith("get", StringComparison.Ordinal) && !name.StartsWith("list", StringComparison.Ordinal)
            && !name.EndsWith("policy", StringComparison.Ordinal) && !name.EndsWith("rules", StringComparison.Ordinal);
    }

    private static void RedactLoginSecrets(ReadOnlySpan<byte> json, List<(int Start, int Length, int Index, int Call)> secrets, bool hasRules, RedactionSession session, string location, ref List<Edit>? edits)
    {
        foreach (var (start, length, index, call) in secrets)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var where = location + ":$" + (call < 0 ? string.Empty : "[" + call.ToString(inv) + "]") + ".params[" + index.ToString(inv) + "]";
            List<PathSegment> path = call < 0 ? [PathSegment.Member("params"), PathSegment.Element(index)] : [PathSegment.Element(call), PathSegment.Member("params"), PathSegment.Element(index)];
            if (hasRules && RuleSelects(session, path))
            {
                continue; // a rules-file rule selecting the parameter wins: the walk applies it
            }

            RedactAsField(json, start, length, "password", "params", where, session, ref edits);
        }
    }

    /// <summary>
    /// The string token at <paramref name="start"/> judged as if it were a field named <paramref name="field"/> under
    /// <paramref name="parent"/> (a JSON-RPC login's positional secret, a login answer's bare result) and replaced when
    /// that field's detector selects it.
    /// </summary>
    private static void RedactAsField(ReadOnlySpan<byte> json, int start, int length, string field, string parent, string where, RedactionSession session, ref List<Edit>? edits)
    {
        var value = JsonSerializer.Deserialize<string>(json.Slice(start, length))!;
        if (value.Length > 0 && !session.IsSkipped(where) && session.TryMatchField(field, parent, value, out var entry))
        {
            Replace(true, value, entry.Detector.Kind, entry.Action, entry.Detector.Name, where, start, length, session, ref edits);
        }
    }

    /// <summary>
    /// A JSON-RPC login's secrets, redacted before the walk (kept out of <see cref="RedactJson"/>'s loop, whose size decides
    /// whether the JIT inlines the reader there): a request's positional login secrets, or the bare string result of the
    /// login call the request made. Their token positions (the walk leaves them alone), or null.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<(int Start, int Length, int Index, int Call)>? RpcLogin(ReadOnlySpan<byte> json, bool hasRules, RedactionSession session, string location, ref List<Edit>? edits)
    {
        if (session.Side == RuleScope.Request)
        {
            var secrets = RpcLoginSecrets(json, out var loginCall);
            session.RpcLogin = loginCall;
            if (secrets is not null)
            {
                RedactLoginSecrets(json, secrets, hasRules, session, location, ref edits);
            }

            return secrets;
        }

        if (session.RpcLogin && RpcStringResult(json) is { } result && !(hasRules && RuleSelects(session, [PathSegment.Member("result")])))
        {
            RedactLoginResult(json, result, session, location, ref edits);
            return [(result.Start, result.Length, -1, -1)];
        }

        return null;
    }

    /// <summary>The string token of a JSON-RPC answer's top-level <c>result</c> (start and length with its quotes); null when the result is no string.</summary>
    internal static (int Start, int Length)? RpcStringResult(ReadOnlySpan<byte> json) =>
        TopLevelMember(json, "result"u8, out var reader) && reader.TokenType == JsonTokenType.String ? ((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2) : null;

    /// <summary>
    /// A reader on the value of a JSON object's top-level member <paramref name="name"/> (only the top-level members are
    /// read); false when the body is no object, has no such member, or is not JSON before it.
    /// </summary>
    private static bool TopLevelMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out Utf8JsonReader reader)
    {
        reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        Span<byte> quoted = stackalloc byte[name.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        name.CopyTo(quoted[1..]);
        if (json.IndexOf(quoted) < 0)
        {
            return false;
        }

        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var found = reader.ValueTextEquals(name);
                reader.Read();
                if (found)
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>
    /// A JSON-RPC login's answer whose result is a bare string (<c>{"result": "9b6a42ed…"}</c>: the Zabbix API's
    /// <c>user.login</c>) hands over the session token with no field name saying so; every later call sends it back
    /// (<c>"auth"</c>). It is judged as a <c>sessionid</c> field, so it is masked when it reads as a random secret (a
    /// message such as <c>"Logged in"</c> is not) and tagged as issued for replay to learn the new one (QA round 14a).
    /// </summary>
    private static void RedactLoginResult(ReadOnlySpan<byte> json, (int Start, int Length) result, RedactionSession session, string location, ref List<Edit>? edits) =>
        RedactAsField(json, result.Start, result.Length, "sessionid", "result", location + ":$.result", session, ref edits);

    private static bool IsLoginSecret(List<(int Start, int Length, int Index, int Call)> secrets, int start)
    {
        foreach (var secret in secrets)
        {
            if (secret.Start == start)
            {
                return true;
            }
        }

        return false;
    }

    private static bool RuleSelects(RedactionSession session, List<PathSegment> path)
    {
        foreach (var rule in session.Model.JsonRules)
        {
            if ((rule.Scope & session.Side) != 0 && rule.Path.MatchesSelfOrAncestor(path))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasRules(RedactionSession session)
    {
        foreach (var rule in session.Model.JsonRules)
        {
            if ((rule.Scope & session.Side) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for a value <see cref="RedactScalar"/> returns from untouched when no rule applies and its field has no
    /// candidates (most values of most bodies: ids, counts, prices, enums): a number of fewer than 13 characters, or an
    /// unescaped string <see cref="BuiltInPrefilter.MayMatchShort"/> rules out. Checked inline, before that call.
    /// </summary>
    private static bool IsPlainScalar(ref Utf8JsonReader reader, bool builtInOnly) =>
        reader.TokenType == JsonTokenType.Number
            ? reader.ValueSpan.Length < 13
            : builtInOnly && !reader.ValueIsEscaped && !BuiltInPrefilter.MayMatchShort(reader.ValueSpan);

    private static FieldName ReadName(ref Utf8JsonReader reader, RedactionModel model, List<Container> containers, FieldName?[] memo)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > 256)
        {
            return model.FieldNameOf(JsonStrings.Read(ref reader));
        }

        // Records in a list repeat their property names in the same order: predict the name from the
        // previous object at this depth and position, and confirm it with a byte comparison (no hashing).
        var depth = containers.Count;
        if (depth is 0 or >= MemoDepths)
        {
            return model.FieldNameOfUtf8(reader.ValueSpan);
        }

        ref var top = ref Top(containers);
        if (top.IsArray || top.Index >= MemoWidth)
        {
            return model.FieldNameOfUtf8(reader.ValueSpan);
        }

        var slot = (depth * MemoWidth) + top.Index++;
        if (memo[slot] is { } predicted && reader.ValueSpan.SequenceEqual(predicted.Utf8))
        {
            return predicted;
        }

        return memo[slot] = model.FieldNameOfUtf8(reader.ValueSpan);
    }

    /// <summary>The innermost open container, updated in place (the list is not resized while the reference is held).</summary>
    private static ref Container Top(List<Container> containers) => ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(containers)[^1];

    private static FieldName?[] NameMemo(RedactionModel model)
    {
        // Per thread and per model (a FieldName carries its model's candidates); stale entries are only predictions.
        if (t_memo is null || !ReferenceEquals(t_memoModel, model))
        {
            t_memo = new FieldName?[MemoDepths * MemoWidth];
            t_memoModel = model;
        }

        return t_memo;
    }

    private static PathSegment Next(List<Container> containers, FieldName? pending, out FieldName? field)
    {
        if (containers.Count == 0)
        {
            field = null;
            return PathSegment.Element(0);
        }

        ref var top = ref Top(containers);
        if (top.IsArray)
        {
            field = top.Field;
            return PathSegment.Element(top.Index++);
        }

        field = pending;
        return PathSegment.Member(pending?.Raw ?? string.Empty);
    }

    /// <summary>
    /// True when the object holding the key at <paramref name="i"/> is named by a field of its own that is no wrapper
    /// (<c>{"charts": {"users.cpu_user": …}}</c>): a dotted key there is one of the map's keys. Under a wrapper or at the
    /// top of the body (<c>{"data": {"user.profile": {"name": …}}}</c>) a dotted key is a namespaced field, and the person
    /// context it names stays (a name and id there went raw when it was looked through).
    /// </summary>
    private static bool NamesAMap(List<Container> containers, int i) =>
        i > 0 && !containers[i - 1].IsArray && containers[i - 1].Field is { IsWrapper: false };

    private static FieldName? ParentField(List<Container> containers, RedactionSession session, out bool inferred)
    {
        // The enclosing object's own field name: for {"customer": {"name": ...}} the parent of name is customer.
        // Wrappers ({"data": {...}}, GraphQL "variables"/"input") are looked through; at the top of the body the
        // parent is the resource the request names (/users/1, createUser). A collection ({"items": [...]}) is
        // looked through only on the way up to the body's top: inside an explicit parent it holds other things
        // ({"customer": {"items": [{"name": "Blue Widget"}]}}), so the collection itself is the parent. A map's key
        // (a chart id, a process id) is looked through to the map's field.
        inferred = false;
        FieldName? collection = null;
        for (var i = containers.Count - 1; i >= 0; i--)
        {
            if (containers[i].IsArray)
            {
                continue;
            }

            var field = containers[i].Field;
            if (field is null)
            {
                break;
            }

            if (field.IsMapKey && (!field.IsDottedKey || NamesAMap(containers, i)))
            {
                continue; // {"charts": {"users.cpu_user": {...}}}: the map's field is the context, not its key
            }

            if (!field.IsWrapper)
            {
                return collection ?? field;
            }

            if (collection is null && field.IsCollectionWrapper)
            {
                collection = field;
            }
        }

        inferred = session.Resource is not null;
        return session.Resource;
    }

    private static void RedactScalar(ref Utf8JsonReader reader, List<PathSegment> path, PathSegment? self, FieldName? field, List<Container> containers, bool hasRules, RedactionSession session, string location, ref List<Edit>? edits, ref List<Deferred>? deferred)
    {
        var isString = reader.TokenType == JsonTokenType.String;
        var start = (int)reader.TokenStartIndex;
        var length = reader.ValueSpan.Length + (isString ? 2 : 0);
        string? locationText = null;

        if (hasRules)
        {
            foreach (var rule in session.Model.JsonRules)
            {
                if ((rule.Scope & session.Side) != 0 && rule.Path.MatchesSelfOrAncestor(path))
                {
                    locationText = Location(location, path, self);
                    if (!session.IsSkipped(locationText))
                    {
                        var value = isString ? JsonStrings.Read(ref reader) : Encoding.UTF8.GetString(reader.ValueSpan);
                        Replace(isString, value, rule.Kind, rule.Action, rule.Name, locationText, start, length, session, ref edits);
                    }

                    return;
                }
            }
        }

        FieldName? parent = null;
        var inferred = false;
        FieldDetectorEntry[] candidates;
        if (field is null)
        {
            candidates = [];
        }
        else if (!field.NeedsParent)
        {
            candidates = field.Candidates;
        }
        else
        {
            parent = ParentField(containers, session, out inferred);
            candidates = inferred ? field.CandidatesInferred(parent!, session.Model) : field.CandidatesIn(parent, session.Model);
        }

        var candidateField = candidates.Length > 0;
        if (!candidateField && isString && reader.ValueSpan.Length >= Base64Text.MinLength && RedactBase64(ref reader, path, self, session, location, start, length, ref edits))
        {
            return;
        }

        // A name-like field ("name", "first") with no person context: a person only if a sibling says so (decided when its object closes).
        var mayDefer = !candidateField && isString && field is { NeedsParent: true } && !containers[^1].IsArray && parent is not { IsNonPerson: true };
        TextStats stats = default;
        if (!candidateField)
        {
            if (!isString ? reader.ValueSpan.Length < 13 : !reader.ValueIsEscaped && session.Model.BuiltInValueDetectorsOnly && !BuiltInPrefilter.MayMatchShort(reader.ValueSpan))
            {
                // Without statistics: a number has fewer than 13 digits, or a short plain string holds none of '@:=<' (the built-in detectors' pre-check is false for both).
                if (mayDefer)
                {
                    Defer(JsonStrings.Read(ref reader), field!, containers.Count - 1, start, length, path, self, session, location, ref deferred);
                }

                return;
            }

            stats = reader.ValueIsEscaped ? default : TextStats.Of(reader.ValueSpan);
            if (!reader.ValueIsEscaped && (!isString ? stats.Digits < 13 : !session.MayMatchText(stats)))
            {
                if (mayDefer)
                {
                    Defer(JsonStrings.Read(ref reader), field!, containers.Count - 1, start, length, path, self, session, location, ref deferred);
                }

                return;
            }
        }

        var text = isString ? JsonStrings.Read(ref reader) : Encoding.UTF8.GetString(reader.ValueSpan);
        if (candidateField && session.TryMatchField(field!.Normalized, (inferred ? parent?.InferredKey : parent?.Normalized) ?? string.Empty, inferred, text, out var entry))
        {
            locationText ??= Location(location, path, self);
            if (!session.IsSkipped(locationText))
            {
                Replace(isString, text, entry.Detector.Kind, entry.Action, entry.Detector.Name, locationText, start, length, session, ref edits);
            }

            return;
        }

        if (isString)
        {
            // Byte statistics equal the text's when the value is plain ASCII (decoded length = byte length).
            var textStats = !candidateField && !reader.ValueIsEscaped && text.Length == reader.ValueSpan.Length ? stats : TextStats.Of(text);
            var matches = session.FindMatches(text, textStats, keyValues: true, field?.Normalized ?? string.Empty, out var timedOut);
            if (matches is null && timedOut is null)
            {
                // Clean (the common case): no location string is built.
                if (mayDefer)
                {
                    Defer(text, field!, containers.Count - 1, start, length, path, self, session, location, ref deferred);
                }

                return;
            }

            locationText ??= Location(location, path, self);
            if (session.RedactMatches(text, matches, timedOut, locationText) is { } redacted)
            {
                (edits ??= []).Add(new Edit(start, length, Quote(redacted)));
            }

            return;
        }

        // A bare number is redacted only when a detector matches all of it (a card number sent as a number).
        // The location is built only then: epoch-millisecond timestamps reach this point on every record.
        List<(int Start, int Length)>? spans = null;
        foreach (var detector in session.Model.ValueDetectors)
        {
            if ((detector.Scope & session.Side) == 0 || detector.Detector.Kind != DataKind.CardNumber)
            {
                continue;
            }

            (spans ??= []).Clear();
            detector.Detector.Find(text, spans);
            if (spans.Count == 1 && spans[0].Length == text.Length && !session.IsSkipped(locationText ??= Location(location, path, self)))
            {
                Replace(false, text, DataKind.CardNumber, detector.Action, detector.Detector.Name, locationText, start, length, session, ref edits);
                return;
            }
        }
    }

    /// <summary>
    /// A string that is base64 of text (<see cref="Base64Text"/>) is redacted as that text and encoded again; true when
    /// something in it was redacted (a clean one goes on through the detectors as it is).
    /// </summary>
    private static bool RedactBase64(ref Utf8JsonReader reader, List<PathSegment> path, PathSegment? self, RedactionSession session, string location, int start, int length, ref List<Edit>? edits)
    {
        ReadOnlySpan<byte> raw = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(JsonStrings.Read(ref reader)) : reader.ValueSpan;
        if (Base64Text.TryDecode(raw, out var flavor) is not { } decoded) // TryDecode checks MayBe first
        {
            // Base64 of bytes (a torrent's bencoded metainfo in transmission's RPC, a protobuf, a certificate): the
            // printable runs in it are redacted at their length, as in a binary body, so every length inside stays right.
            if (Base64Text.TryDecodeBytes(raw, out var byteFlavor) is not { } bytes
                || BinaryRedactor.Redact(bytes, session, Location(location, path, self)) is not { } redactedBytes)
            {
                return false;
            }

            (edits ??= []).Add(new Edit(start, length, Quote(Base64Text.Encode(redactedBytes, byteFlavor))));
            return true;
        }

        var redacted = session.RedactText(decoded, Location(location, path, self));
        session.NoteBase64Text(redacted ?? decoded); // the carried and same-value passes look inside it too
        if (redacted is null)
        {
            return false;
        }

        (edits ??= []).Add(new Edit(start, length, Quote(Base64Text.Encode(redacted, flavor))));
        return true;
    }

    private static void Defer(string text, FieldName field, int container, int start, int length, List<PathSegment> path, PathSegment? self, RedactionSession session, string location, ref List<Deferred>? deferred)
    {
        if (session.TryMatchField(field.Normalized, PersonContext.EvidenceParent, inferred: true, text, out var entry))
        {
            (deferred ??= []).Add(new Deferred(container, text, entry, Location(location, path, self), start, length));
        }
    }

    private static void ResolveDeferred(List<Deferred> deferred, List<Container> containers, RedactionSession session, ref List<Edit>? edits)
    {
        // Deferred values of the innermost open object sit at the end of the list (inner objects close first).
        var container = deferred[^1].Container;
        var person = container < containers.Count && containers[container].Evidence;
        var signUp = container < containers.Count && containers[container].SignUp;
        while (deferred.Count > 0 && deferred[^1].Container == container)
        {
            var item = deferred[^1];
            deferred.RemoveAt(deferred.Count - 1);
            if ((person || (signUp && item.Entry.Detector.Kind == DataKind.PersonName && BuiltInDetectors.LooksLikeFullName(item.Text))) && !session.IsSkipped(item.Location))
            {
                Replace(true, item.Text, item.Entry.Detector.Kind, item.Entry.Action, item.Entry.Detector.Name, item.Location, item.Start, item.Length, session, ref edits);
            }
        }
    }

    private static void Replace(bool isString, string value, DataKind kind, ActionSpec action, string rule, string location, int start, int length, RedactionSession session, ref List<Edit>? edits)
    {
        if (action.Action == RedactionAction.Keep)
        {
            session.NoteKept(value);
            return;
        }

        if (value.Length == 0 || (isString && TokenFormat.IsRedactedOutput(value)))
        {
            return;
        }

        var replacement = isString ? session.Apply(value, kind, action) : session.Rewriter.ApplyNumber(value, kind, action, session.Tokens);
        if (replacement == value)
        {
            return;
        }

        session.Record(location, rule, action, kind, value, replacement);
        var bytes = replacement is null ? "null"u8.ToArray() : isString ? Quote(replacement) : Encoding.UTF8.GetBytes(replacement);
        (edits ??= []).Add(new Edit(start, length, bytes));
    }

    /// <summary>Redacts personal data in a property name; returns the new name, or null when it stays.</summary>
    private static string? RedactPropertyName(ref Utf8JsonReader reader, string name, List<PathSegment> path, RedactionSession session, string location, ref List<Edit>? edits)
    {
        // Keys are usually schema, but maps keyed by email or card number put personal data in keys.
        var stats = TextStats.Of(name);
        if (stats.Length < 6 || !(stats.At > 0 || stats.Digits >= 9 || stats.MaxRun >= 16))
        {
            return null;
        }

        if (session.RedactText(name, Location(location, path) + ":key", keyValues: false) is not { } redacted)
        {
            return null;
        }

        var start = (int)reader.TokenStartIndex;
        (edits ??= []).Add(new Edit(start, reader.ValueSpan.Length + 2, Quote(redacted)));
        return redacted;
    }

    private static void RedactTail(ReadOnlySpan<byte> tail, int offset, string field, RedactionSession session, string location, ref List<Edit>? edits)
    {
        var text = Encoding.UTF8.GetString(tail);
        var trimmed = text.TrimStart(' ', '\t', '\r', '\n', ':', ',');
        if (field.Length > 0 && trimmed.Length > 1 && session.TryMatchField(field, string.Empty, trimmed.Trim('"'), out var entry))
        {
            var value = trimmed.Trim('"');
            session.Record(location + ":truncated", entry.Detector.Name, ActionSpec.Mask(0), entry.Detector.Kind, value);
            (edits ??= []).Add(new Edit(offset, tail.Length, Encoding.UTF8.GetBytes(text[..(text.Length - trimmed.Length)] + Masker.Mask(trimmed, DataKind.Generic, 0))));
            return;
        }

        if (session.RedactText(text, location + ":truncated") is { } redacted)
        {
            (edits ??= []).Add(new Edit(offset, tail.Length, Encoding.UTF8.GetBytes(redacted)));
        }
    }

    private static string Location(string prefix, List<PathSegment> path, PathSegment? self = null)
    {
        var sb = t_location ??= new StringBuilder(128);
        sb.Clear().Append(prefix).Append(':');
        if (self is { } segment)
        {
            // The value's own segment (not kept on the path stack unless JSON-path rules need it).
            path.Add(segment);
            JsonPath.AppendFormatted(sb, path, path.Count);
            path.RemoveAt(path.Count - 1);
        }
        else
        {
            JsonPath.AppendFormatted(sb, path, path.Count);
        }

        var text = sb.ToString();
        if (sb.Capacity > 4096)
        {
            t_location = null;
        }

        return text;
    }

    internal static byte[] Quote(string value)
    {
        // Tokens, masks and most fakes are printable ASCII without quotes or backslashes: no escaping needed.
        if (!value.AsSpan().ContainsAnyExcept(PlainJsonChars))
        {
            var plain = new byte[value.Length + 2];
            plain[0] = (byte)'"';
            System.Text.Ascii.FromUtf16(value, plain.AsSpan(1), out _);
            plain[^1] = (byte)'"';
            return plain;
        }

        var encoded = JsonEncodedText.Encode(value, Encoder).EncodedUtf8Bytes;
        var bytes = new byte[encoded.Length + 2];
        bytes[0] = (byte)'"';
        encoded.CopyTo(bytes.AsSpan(1));
        bytes[^1] = (byte)'"';
        return bytes;
    }

    private static byte[] Apply(ReadOnlySpan<byte> json, List<Edit> edits)
    {
        edits.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        // Size the output exactly and copy the untouched spans once (a 1 MB body is not copied twice).
        long size = json.Length;
        var position = 0;
        foreach (var edit in edits)
        {
            if (edit.Start < position)
            {
                continue;
            }

            size += edit.Replacement.Length - edit.Length;
            position = edit.Start + edit.Length;
        }

        var output = GC.AllocateUninitializedArray<byte>(checked((int)size));
        var written = 0;
        position = 0;
        foreach (var edit in edits)
        {
            if (edit.Start < position)
            {
                continue;
            }

            json[position..edit.Start].CopyTo(output.AsSpan(written));
            written += edit.Start - position;
            edit.Replacement.CopyTo(output.AsSpan(written));
            written += edit.Replacement.Length;
            position = edit.Start + edit.Length;
        }

        json[position..].CopyTo(output.AsSpan(written));
        return output;
    }

    /// <summary>An open object or array; <c>Index</c> counts elements (arrays: the next index) or properties (objects: the name memo position).</summary>
    private record struct Container(bool IsArray, FieldName? Field, bool HasSegment, int Index = 0, bool Evidence = false, bool SignUp = false, FieldName? Flag = null);

    /// <summary>
    /// The credential field a name/value pair's name member names (<c>DB_PASSWORD</c>, <c>api_token</c>, a macro written
    /// <c>{$DB.PASSWORD}</c> or <c>${SECRET}</c>): the pair's <c>value</c> is then judged as that field (QA round 14a: a
    /// Zabbix host macro's password went to disk raw). Only credentials, as for a command-line flag: a pair's value is
    /// anything (<c>{"name": "title", "value": "Weekly report"}</c>), a secret under a credential's name is not.
    /// </summary>
    private static FieldName? PairNamedField(ref Utf8JsonReader reader, RedactionModel model)
    {
        var span = reader.ValueSpan;
        if (reader.ValueIsEscaped || span.Length is < 3 or > 64)
        {
            return null;
        }

        span = span.TrimStart("{$%"u8).TrimEnd("}%"u8);
        if (span.Length < 3)
        {
            return null;
        }

        return CredentialField(span, model);
    }

    /// <summary>
    /// The field <paramref name="name"/> (letters, digits, <c>-</c>, <c>_</c>, <c>.</c> only) names when it is a credential's
    /// (a password or secret field); null otherwise. Only credentials: a flag's or a pair's value is anything
    /// (<c>--uid 0</c>, <c>--name worker</c>, <c>{"name": "title", "value": "Weekly report"}</c>), a secret under a credential's name is not.
    /// </summary>
    private static FieldName? CredentialField(ReadOnlySpan<byte> name, RedactionModel model)
    {
        foreach (var b in name)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'-' or (byte)'_' or (byte)'.'))
            {
                return null;
            }
        }

        var field = model.FieldNameOfUtf8(name);
        foreach (var candidate in field.Candidates)
        {
            if (candidate.Detector.Kind is Detection.DataKind.Password or Detection.DataKind.Secret)
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>
    /// The credential field a pair-name member after the current <c>value</c> names in the same object
    /// (<c>{"value": "…", "name": "DB_PASSWORD"}</c>: an object's members have no order, RFC 8259 4), read on a copy of the
    /// reader up to the object's end; null when none does or the rest of the object cannot be read.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FieldName? PairNameAhead(Utf8JsonReader ahead, RedactionModel model)
    {
        try
        {
            while (ReadSignificant(ref ahead) && ahead.TokenType == JsonTokenType.PropertyName)
            {
                var name = ahead.ValueIsEscaped ? model.FieldNameOf(JsonStrings.Read(ref ahead)) : model.FieldNameOfUtf8(ahead.ValueSpan);
                if (!ReadSignificant(ref ahead))
                {
                    return null;
                }

                if (name.IsPairName && ahead.TokenType == JsonTokenType.String && PairNamedField(ref ahead, model) is { } field)
                {
                    return field;
                }

                if (!ahead.TrySkip())
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;

        static bool ReadSignificant(ref Utf8JsonReader reader)
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.Comment)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The field an array element names when it is a command-line flag for a credential with its value in the next
    /// element (<c>--password</c>, <c>-token</c>, <c>--db_secret</c>): a process list (Glances, psutil, a Kubernetes pod's
    /// <c>args</c>) carries argv so, and the value after <c>--api-token</c> went to disk raw (QA round 13c). Null for
    /// anything else (<c>--verbose=1</c> carries its own value, which the key/value scanner reads).
    /// </summary>
    private static FieldName? FlagField(ref Utf8JsonReader reader, RedactionModel model)
    {
        var span = reader.ValueSpan;
        if (reader.ValueIsEscaped || span.Length is < 3 or > 64 || span[0] != (byte)'-')
        {
            return null;
        }

        var start = span[1] == (byte)'-' ? 2 : 1;
        if (start >= span.Length || !char.IsAsciiLetter((char)span[start]))
        {
            return null;
        }

        return CredentialField(span[start..], model);
    }

    /// <summary>A name-like value whose object has no person context yet: redacted when the object shows person evidence.</summary>
    private readonly record struct Deferred(int Container, string Text, FieldDetectorEntry Entry, string Location, int Start, int Length);

    private readonly record struct Edit(int Start, int Length, byte[] Replacement);
}
