/// AWS Query-protocol answers shaped as CloudFormation and STS send them, plus one document with
/// every piece of markup the parser skips or decodes.
enum XMLSamples {
    static let describeStacks = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStacksResult>
            <Stacks>
              <member>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/app/1a2b3c4d</StackId>
                <StackName>app</StackName>
                <Description>reconcile test stack</Description>
                <Parameters>
                  <member>
                    <ParameterKey>Shards</ParameterKey>
                    <ParameterValue>2</ParameterValue>
                  </member>
                  <member><ParameterKey>Filter</ParameterKey><ParameterValue>a&lt;b</ParameterValue></member>
                </Parameters>
                <CreationTime>2026-12-01T10:00:00.000Z</CreationTime>
                <StackStatus>CREATE_COMPLETE</StackStatus>
                <DisableRollback>false</DisableRollback>
                <Tags>
                  <member><Key>team</Key><Value>data</Value></member>
                  <member><Key>env</Key><Value>test</Value></member>
                </Tags>
                <Capabilities><member>CAPABILITY_IAM</member></Capabilities>
                <Outputs/>
              </member>
              <member>
                <StackName>data &amp; logs</StackName>
                <Outputs>
                  <member>
                    <OutputKey>StreamArn</OutputKey>
                    <OutputValue>arn:aws:kinesis:x:1:stream/s</OutputValue>
                    <Description>the stream&apos;s ARN</Description>
                  </member>
                </Outputs>
                <StackStatus>UPDATE_COMPLETE</StackStatus>
              </member>
            </Stacks>
          </DescribeStacksResult>
          <ResponseMetadata>
            <RequestId>b9b4f9a1-0c5e-4f6a-9a53-1d2c3b4a5e6f</RequestId>
          </ResponseMetadata>
        </DescribeStacksResponse>

        """

    static let getTemplate = """
        <GetTemplateResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <GetTemplateResult>
            <TemplateBody>  {
            &quot;Description&quot;: &quot;café &#x2713; &amp; &lt;tags&gt; &#233;✓&quot;,
            &quot;Resources&quot;: {&quot;Stream&quot;: {&quot;Type&quot;: &quot;AWS::Kinesis::Stream&quot;}}
        }
          </TemplateBody>
            <StagesAvailable>
              <member>Original</member>
              <member>Processed</member>
            </StagesAvailable>
          </GetTemplateResult>
          <ResponseMetadata>
            <RequestId>7f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b</RequestId>
          </ResponseMetadata>
        </GetTemplateResponse>
        """

    static let errorResponse = """
        <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">\
        <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id x does not exist</Message>\
        </Error><RequestId>4af5a5d3-0f5e-11e9-9b4f-1b9c2e1e5f6a</RequestId></ErrorResponse>
        """

    static let getCallerIdentity = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
            <UserId>AKIAI44QH8DHBEXAMPLE</UserId>
            <Account>123456789012</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata>
            <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
          </ResponseMetadata>
        </GetCallerIdentityResponse>
        """

    static let assumeRoleWithWebIdentity = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
            <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
              <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <SessionToken>token/with+slash==</SessionToken>
              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
              <Expiration>2026-12-01T12:00:00Z</Expiration>
              <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
            </Credentials>
            <SourceIdentity>SourceIdentityValue</SourceIdentity>
            <Provider>www.amazon.com</Provider>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata>
            <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
          </ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """

    static let markupVariety = """
        \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <!-- a comment before the root -->
        <!DOCTYPE Root [ <!-- a '>' in the internal subset --> ]>
        <Root xmlns="urn:root" xmlns:a="urn:a" kind='with > inside' other = "x > y &amp; &#x3C;z">mix<!-- c -->ed
          <Data><![CDATA[raw <b> & "text"]]> then escaped &lt;</Data>
          <?app an instruction?>
          <Empty/>
          <Empty2 a="1" />
          <a:Value a:flag='yes'>prefixed</a:Value >
          <Spaced>  keep
          me  </Spaced>
          <Lines>a\r\nb\rc&#13;</Lines>
        </Root  >
        <!-- a comment after the root -->

        """
}
