package athena

import "strings"

// kind is how the CloudTrail table stores a field, and therefore what SQL can tell about it.
type kind uint8

const (
	// kString is a STRING column or struct field that CloudTrail fills with a JSON string.
	kString kind = iota
	// kBool is a STRING column that CloudTrail fills with a JSON boolean: the SerDe stores the
	// text "true" or "false" (readOnly).
	kBool
	// kJSON is a STRING column holding a JSON object's text (requestParameters ...): fields below
	// it are read with json_extract / json_extract_scalar.
	kJSON
	// kStruct is a STRUCT column or field.
	kStruct
	// kArray is an ARRAY<STRUCT> column (resources).
	kArray
	// kMap is a MAP<STRING,STRING> field; not translated.
	kMap
)

// field is a column or struct field of the table: its name in CloudTrail records (case as
// CloudTrail writes it), its SQL name, and what lies below it.
type field struct {
	json string
	sql  string
	kind kind
	kids []field // kStruct: the struct's fields; kArray: the element struct's fields
}

func str(json string) field     { return field{json: json, sql: strings.ToLower(json), kind: kString} }
func obj(json string) field     { return field{json: json, sql: strings.ToLower(json), kind: kJSON} }
func boolean(json string) field { return field{json: json, sql: strings.ToLower(json), kind: kBool} }
func strct(json string, kids ...field) field {
	return field{json: json, sql: strings.ToLower(json), kind: kStruct, kids: kids}
}

// columns is the CloudTrail table of the Athena user guide, "Create the table for CloudTrail logs
// in Athena using partition projection" (create-cloudtrail-table-partition-projection.html), in
// its column order. docs/athena.md prints the DDL; DDL() generates it from this list.
var columns = []field{
	str("eventVersion"),
	strct("userIdentity",
		str("type"), str("principalId"), str("arn"), str("accountId"), str("invokedBy"),
		str("accessKeyId"), str("userName"),
		strct("onBehalfOf", str("userId"), str("identityStoreArn")),
		strct("sessionContext",
			strct("attributes", str("mfaAuthenticated"), str("creationDate")),
			strct("sessionIssuer", str("type"), str("principalId"), str("arn"), str("accountId"), str("userName")),
			str("ec2RoleDelivery"),
			strct("webIdFederationData", str("federatedProvider"), field{json: "attributes", sql: "attributes", kind: kMap}),
		),
	),
	str("eventTime"),
	str("eventSource"),
	str("eventName"),
	str("awsRegion"),
	str("sourceIPAddress"),
	str("userAgent"),
	str("errorCode"),
	str("errorMessage"),
	obj("requestParameters"),
	obj("responseElements"),
	obj("additionalEventData"),
	str("requestID"),
	str("eventID"),
	boolean("readOnly"),
	{json: "resources", sql: "resources", kind: kArray, kids: []field{str("ARN"), str("accountId"), str("type")}},
	str("eventType"),
	str("apiVersion"),
	str("recipientAccountId"),
	obj("serviceEventDetails"),
	str("sharedEventID"),
	str("vpcEndpointId"),
	str("vpcEndpointAccountId"),
	str("eventCategory"),
	strct("addendum", str("reason"), str("updatedFields"), str("originalRequestID"), str("originalEventID")),
	str("sessionCredentialFromConsole"),
	obj("edgeDeviceDetails"),
	strct("tlsDetails", str("tlsVersion"), str("cipherSuite"), str("clientProvidedHostHeader")),
}

// lookup finds the field named name among fs, by CloudTrail's exact spelling. folded is the field
// whose name differs only in case, for the error message.
func lookup(fs []field, name string) (f *field, folded *field) {
	for i := range fs {
		if fs[i].json == name {
			return &fs[i], nil
		}
		if strings.EqualFold(fs[i].json, name) {
			folded = &fs[i]
		}
	}
	return nil, folded
}

// ddlType spells f's Hive type.
func ddlType(f field, indent string) string {
	switch f.kind {
	case kStruct, kArray:
		var b strings.Builder
		b.WriteString("STRUCT<\n")
		for i, k := range f.kids {
			b.WriteString(indent + "  " + k.sql + ": " + ddlType(k, indent+"  "))
			if i < len(f.kids)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(indent + ">")
		if f.kind == kArray {
			return "ARRAY<" + b.String() + ">"
		}
		return b.String()
	case kMap:
		return "MAP<STRING,STRING>"
	}
	return "STRING"
}

// Columns returns the table's column definitions as DDL lines ("eventversion STRING", ...), the
// part of the CREATE TABLE statement that the translation relies on.
func Columns() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.sql + " " + ddlType(c, "")
	}
	return out
}

// Column is a column of the table as the Glue Data Catalog declares it: name and Hive type.
type Column struct {
	Name, Type string
}

// GlueColumns returns the table's columns with their Hive types spelled as Glue stores them
// ("struct<type:string,...>"), for a Glue table resource.
func GlueColumns() []Column {
	out := make([]Column, len(columns))
	for i, c := range columns {
		out[i] = Column{Name: c.sql, Type: hiveType(c)}
	}
	return out
}

func hiveType(f field) string {
	switch f.kind {
	case kStruct, kArray:
		parts := make([]string, len(f.kids))
		for i, k := range f.kids {
			parts[i] = k.sql + ":" + hiveType(k)
		}
		s := "struct<" + strings.Join(parts, ",") + ">"
		if f.kind == kArray {
			return "array<" + s + ">"
		}
		return s
	case kMap:
		return "map<string,string>"
	}
	return "string"
}
