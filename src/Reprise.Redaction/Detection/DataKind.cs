namespace Reprise.Redaction.Detection;

/// <summary>What a detected value is; picks the default action, the mask shape and the token hint.</summary>
public enum DataKind
{
    /// <summary>Anything a user rule names without a more specific kind.</summary>
    Generic,
    Email,
    Phone,
    PersonName,
    IpAddress,
    CardNumber,
    Iban,
    NationalId,
    AccountId,
    Jwt,
    BearerToken,
    ApiKey,
    Secret,
    Password,
    BirthDate,
    PostalAddress,
}
