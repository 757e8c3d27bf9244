package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsathena"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/config"
)

// AthenaProps configures the Athena part of a trail's stack: what `trailwatch replay --athena`
// queries (docs/athena.md).
type AthenaProps struct {
	// Config is the stack's validated configuration: trail name, organization, alarms, language.
	// Required.
	Config config.Stack
	// TrailBucket holds the trail's log files. Required.
	TrailBucket awss3.IBucket
	// AccessLogs receives the results bucket's S3 server access logs. Required.
	AccessLogs awss3.IBucket
	// Key encrypts the trail's log files; the query results are encrypted with it too.
	// Default: - none: the log files and the results use S3-managed encryption.
	Key awskms.IKey
}

// Athena is the Glue database and CloudTrail table over the trail bucket (partition projection, no
// crawler), the workgroup that runs replays with encrypted results in a hardened results bucket,
// one named query per alarm, and a managed policy to attach to whoever runs replays.
type Athena struct {
	constructs.Construct
	Database  awsglue.CfnDatabase
	Table     awsglue.CfnTable
	Results   awss3.Bucket
	WorkGroup awsathena.CfnWorkGroup
	// Queries holds one named query per alarm, in catalog order; an alarm whose pattern has no
	// exact SQL (athena.Where refuses it) has none and a synth warning instead.
	Queries []awsathena.CfnNamedQuery
	// ReaderPolicy lets a principal run replays in the workgroup: Athena, the table in Glue, the
	// log files and results in S3, and the key through S3 only.
	ReaderPolicy awsiam.ManagedPolicy
}

// AthenaRefusedWarningID identifies the synth warning of an alarm whose pattern has no named query.
const AthenaRefusedWarningID = "trailwatch:athenaPatternNotTranslated"

// AthenaTable is the CloudTrail table's name in the database.
const AthenaTable = "cloudtrail_logs"

// athenaRegions are the Regions the table projects: those a multi-Region trail records in,
// by default (opt-in Regions included, so their files are read once they are enabled).
var athenaRegions = []string{
	"af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
	"ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
	"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
	"me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
	"us-west-2",
}

// NewAthena adds the Athena part to stack.
func NewAthena(scope constructs.Construct, id string, props *AthenaProps) *Athena {
	cfg := props.Config
	c := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(c)
	a := &Athena{Construct: c}
	dbName := glueName(cfg.TrailName)

	a.Database = awsglue.NewCfnDatabase(c, jsii.String("Database"), &awsglue.CfnDatabaseProps{
		CatalogId: stack.Account(),
		DatabaseInput: &awsglue.CfnDatabase_DatabaseInputProperty{
			Name:        jsii.String(dbName),
			Description: jsii.String("trailwatch: the CloudTrail table of trail " + cfg.TrailName),
		},
	})
	a.Table = newCloudTrailTable(c, stack, cfg, props.TrailBucket, dbName)
	a.Table.Node().AddDependency(a.Database)

	a.Results = awss3.NewBucket(c, jsii.String("Results"), &awss3.BucketProps{
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		MinimumTLSVersion:      jsii.Number(1.2),
		Encryption:             resultsEncryption(props.Key),
		EncryptionKey:          props.Key,
		BucketKeyEnabled:       jsii.Bool(props.Key != nil),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		ServerAccessLogsBucket: props.AccessLogs,
		ServerAccessLogsPrefix: jsii.String("athena-results/"),
		// Results are copies of what the trail bucket keeps: they expire, the bucket stays.
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("AthenaResults"),
			Enabled:                             jsii.Bool(true),
			Expiration:                          awscdk.Duration_Days(jsii.Number(30)),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
		}},
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	// A retained bucket keeps its TLS-only policy when the stack goes.
	a.Results.Policy().ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)

	encryption := &awsathena.CfnWorkGroup_EncryptionConfigurationProperty{EncryptionOption: jsii.String("SSE_S3")}
	if props.Key != nil {
		encryption = &awsathena.CfnWorkGroup_EncryptionConfigurationProperty{EncryptionOption: jsii.String("SSE_KMS"), KmsKey: props.Key.KeyArn()}
	}
	a.WorkGroup = awsathena.NewCfnWorkGroup(c, jsii.String("WorkGroup"), &awsathena.CfnWorkGroupProps{
		Name:        jsii.String("trailwatch-" + strings.ReplaceAll(cfg.TrailName, ".", "-")),
		Description: jsii.String("trailwatch: alarm replays over the CloudTrail table"),
		State:       jsii.String("ENABLED"),
		// Deleting the stack deletes the workgroup with its named queries and history.
		RecursiveDeleteOption: jsii.Bool(true),
		WorkGroupConfiguration: &awsathena.CfnWorkGroup_WorkGroupConfigurationProperty{
			EnforceWorkGroupConfiguration:   jsii.Bool(true),
			PublishCloudWatchMetricsEnabled: jsii.Bool(true),
			EngineVersion:                   &awsathena.CfnWorkGroup_EngineVersionProperty{SelectedEngineVersion: jsii.String("Athena engine version 3")},
			ResultConfiguration: &awsathena.CfnWorkGroup_ResultConfigurationProperty{
				OutputLocation:          jsii.String("s3://" + *a.Results.BucketName() + "/"),
				EncryptionConfiguration: encryption,
				ExpectedBucketOwner:     stack.Account(),
			},
		},
	})

	table := dbName + "." + AthenaTable
	for _, row := range cfg.Alarms {
		where, err := athena.Where(row.Pattern)
		if err != nil {
			awscdk.Annotations_Of(c).AddWarningV2(jsii.String(AthenaRefusedWarningID),
				jsii.String(fmt.Sprintf("%s: no named query: %v", row.ID, err)), nil)
			continue
		}
		q := awsathena.NewCfnNamedQuery(c, jsii.String("Query"+row.ID), &awsathena.CfnNamedQueryProps{
			Name:        jsii.String(row.ID),
			Description: jsii.String(truncate(row.Description.In(cfg.Language), 1024)),
			Database:    jsii.String(dbName),
			WorkGroup:   a.WorkGroup.Name(),
			QueryString: jsii.String(namedQuery(table, row.Pattern, where, cfg.OrganizationTrail, *stack.Account())),
		})
		q.Node().AddDependency(a.WorkGroup)
		a.Queries = append(a.Queries, q)
	}

	a.ReaderPolicy = newReaderPolicy(c, stack, a, props, dbName)
	return a
}

// glueName is a Glue database name for a trail: lower-case letters, digits and '_'.
func glueName(trail string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '_':
			return r
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '_'
	}, trail)
}

func resultsEncryption(key awskms.IKey) awss3.BucketEncryption {
	if key != nil {
		return awss3.BucketEncryption_KMS
	}
	return awss3.BucketEncryption_S3_MANAGED
}

// truncate keeps the first n characters of s.
func truncate(s string, n int) string {
	r := []rune(s)
	return string(r[:min(len(r), n)])
}

// newCloudTrailTable is the Athena user guide's CloudTrail table with partition projection
// (create-cloudtrail-table-partition-projection.html) over the trail bucket, projected on Region and
// day; an organization trail's table is also projected on account, under AWSLogs/ORG-ID/.
func newCloudTrailTable(c constructs.Construct, stack awscdk.Stack, cfg config.Stack, bucket awss3.IBucket, db string) awsglue.CfnTable {
	root := "s3://" + *bucket.BucketName() + "/AWSLogs/"
	var location, template string
	params := map[string]any{
		"classification":                     "cloudtrail",
		"EXTERNAL":                           "TRUE",
		"projection.enabled":                 "true",
		"projection.region.type":             "enum",
		"projection.region.values":           strings.Join(athenaRegions, ","),
		"projection.timestamp.type":          "date",
		"projection.timestamp.format":        "yyyy/MM/dd",
		"projection.timestamp.interval":      "1",
		"projection.timestamp.interval.unit": "DAYS",
		"projection.timestamp.range":         "2020/01/01,NOW",
	}
	partitions := []*awsglue.CfnTable_ColumnProperty{}
	if cfg.OrganizationTrail {
		location = root + cfg.OrganizationID + "/"
		template = location + "${account}/CloudTrail/${region}/${timestamp}"
		// Member accounts are not known when the stack deploys: a query names them
		// (athena.Options.Accounts), which an injected projection requires.
		params["projection.account.type"] = "injected"
		partitions = append(partitions, &awsglue.CfnTable_ColumnProperty{Name: jsii.String("account"), Type: jsii.String("string")})
	} else {
		location = root + *stack.Account() + "/CloudTrail/"
		template = location + "${region}/${timestamp}"
	}
	params["storage.location.template"] = template
	partitions = append(partitions,
		&awsglue.CfnTable_ColumnProperty{Name: jsii.String("region"), Type: jsii.String("string")},
		&awsglue.CfnTable_ColumnProperty{Name: jsii.String("timestamp"), Type: jsii.String("string")},
	)
	var columns []*awsglue.CfnTable_ColumnProperty
	for _, col := range athena.GlueColumns() {
		columns = append(columns, &awsglue.CfnTable_ColumnProperty{Name: jsii.String(col.Name), Type: jsii.String(col.Type)})
	}
	return awsglue.NewCfnTable(c, jsii.String("Table"), &awsglue.CfnTableProps{
		CatalogId:    stack.Account(),
		DatabaseName: jsii.String(db),
		TableInput: &awsglue.CfnTable_TableInputProperty{
			Name:          jsii.String(AthenaTable),
			Description:   jsii.String("trailwatch: CloudTrail log files of trail " + cfg.TrailName + " (docs/athena.md)"),
			TableType:     jsii.String("EXTERNAL_TABLE"),
			Parameters:    params,
			PartitionKeys: partitions,
			StorageDescriptor: &awsglue.CfnTable_StorageDescriptorProperty{
				Columns:      columns,
				Location:     jsii.String(location),
				InputFormat:  jsii.String("com.amazon.emr.cloudtrail.CloudTrailInputFormat"),
				OutputFormat: jsii.String("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
				SerdeInfo:    &awsglue.CfnTable_SerdeInfoProperty{SerializationLibrary: jsii.String("org.apache.hive.hcatalog.data.JsonSerDe")},
			},
		},
	})
}

// namedQuery lists the last 7 days' records an alarm's pattern matches, newest first.
func namedQuery(table, pattern, where string, org bool, account string) string {
	var b strings.Builder
	b.WriteString("-- trailwatch: the records of the last 7 days that this filter pattern matches:\n")
	b.WriteString("-- " + strings.Join(strings.Fields(pattern), " ") + "\n")
	b.WriteString("SELECT eventtime, eventsource, eventname, awsregion, sourceipaddress, useridentity.arn AS principal, errorcode, recipientaccountid\n")
	b.WriteString("FROM " + table + "\n")
	b.WriteString("WHERE \"timestamp\" >= date_format(current_date - INTERVAL '7' DAY, '%Y/%m/%d')\n")
	if org {
		// The account partition is injected: a query must name the accounts it reads.
		b.WriteString("  AND account IN ('" + account + "') -- the accounts to read\n")
	}
	b.WriteString("  AND " + where + "\n")
	b.WriteString("ORDER BY eventtime DESC\nLIMIT 1000\n")
	return b.String()
}

// newReaderPolicy lets its holder run queries in the workgroup and nothing else: read the table's
// metadata, read the log files, write and read results, and use the key only through S3.
func newReaderPolicy(c constructs.Construct, stack awscdk.Stack, a *Athena, props *AthenaProps, db string) awsiam.ManagedPolicy {
	arn := func(service, resource, name string) *string {
		return stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String(service), Resource: jsii.String(resource), ResourceName: jsii.String(name)})
	}
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("RunQueriesInTheWorkGroup"),
			Actions:   jsii.Strings("athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup", "athena:ListNamedQueries", "athena:GetNamedQuery", "athena:BatchGetNamedQuery"),
			Resources: &[]*string{arn("athena", "workgroup", *a.WorkGroup.Name())},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:     jsii.String("ReadTheTableDefinition"),
			Actions: jsii.Strings("glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions"),
			Resources: &[]*string{
				arn("glue", "catalog", ""), arn("glue", "database", db), arn("glue", "table", db+"/"+AthenaTable),
			},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadTheTrailLogFiles"),
			Actions:   jsii.Strings("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"),
			Resources: &[]*string{props.TrailBucket.BucketArn(), props.TrailBucket.ArnForObjects(jsii.String("AWSLogs/*"))},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("WriteAndReadResults"),
			Actions:   jsii.Strings("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
			Resources: &[]*string{a.Results.BucketArn(), a.Results.ArnForObjects(jsii.String("*"))},
		}),
	}
	if props.Key != nil {
		// Athena reads the log files and writes the results through S3 with the caller's
		// credentials; the key is usable only that way.
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("UseTheKeyThroughS3"),
			Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
			Resources:  &[]*string{props.Key.KeyArn()},
			Conditions: &map[string]any{"StringEquals": map[string]any{"kms:ViaService": "s3." + *stack.Region() + ".amazonaws.com"}},
		}))
	}
	p := awsiam.NewManagedPolicy(c, jsii.String("ReaderPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("trailwatch: run alarm replays in the trailwatch Athena workgroup"),
		Statements:  &statements,
	})
	suppress(p, "AwsSolutions-IAM5", "Athena reads every log file under AWSLogs/ of the trail bucket and writes result objects whose names it chooses in the results bucket; both are prefixes of buckets this stack owns.")
	return p
}
