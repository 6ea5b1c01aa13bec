//! The production path on a local AWS API (moto): the expenses outbox relay publishes to SNS, an
//! SQS queue subscribed to the topic (raw delivery, dead-letter queue after 5 receives) feeds
//! the notifications consumer, and alerts leave through SES, which moto records; the auth relay
//! publishes `account.deleted` the same way, and the consumer erases the account.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_sqs::types::QueueAttributeName;
use expense_api::periods::monthly_period;
use expense_kit::config::AwsConfig;
use expense_notifications::mail::SesMailer;
use expense_testkit::moto::MotoServer;
use serde_json::{Value, json};

use crate::helpers::{AwsEvents, Backend, Setup, TestApp};

const FROM: &str = "Expense Tracker <alerts@expense.example>";

/// Topic, queue and dead-letter queue as `infra/` creates them.
async fn wire_events(sdk: &aws_config::SdkConfig) -> AwsEvents {
    let sns = aws_sdk_sns::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let topic_arn = sns
        .create_topic()
        .name("expense-events")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let dead_letter_url = sqs
        .create_queue()
        .queue_name("notifications-dlq")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let dead_letter_arn = queue_arn(&sqs, &dead_letter_url).await;
    let redrive = json!({ "deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": "5" }).to_string();
    let queue_url = sqs
        .create_queue()
        .queue_name("notifications")
        .attributes(QueueAttributeName::RedrivePolicy, redrive)
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let queue_arn = queue_arn(&sqs, &queue_url).await;
    sns.subscribe()
        .topic_arn(&topic_arn)
        .protocol("sqs")
        .endpoint(queue_arn)
        .attributes("RawMessageDelivery", "true")
        .send()
        .await
        .unwrap();
    AwsEvents {
        sdk: sdk.clone(),
        topic_arn,
        queue_url,
        dead_letter_url,
    }
}

async fn queue_arn(sqs: &aws_sdk_sqs::Client, url: &str) -> String {
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap();
    attributes.attributes.unwrap()[&QueueAttributeName::QueueArn].clone()
}

/// The raw messages moto's SES recorded.
async fn sent_mail(moto: &MotoServer) -> Vec<Value> {
    let data: Value = reqwest::get(format!("{}/moto-api/data.json", moto.endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    data["ses"]["RawMessage"].as_array().cloned().unwrap_or_default()
}

/// Receives from a queue until a message arrives (or 30 s pass).
async fn receive_one(sqs: &aws_sdk_sqs::Client, url: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let received = sqs
            .receive_message()
            .queue_url(url)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        if let Some(message) = received.messages.unwrap_or_default().into_iter().next() {
            return message.body.unwrap_or_default();
        }
        assert!(Instant::now() < deadline, "nothing arrived in {url}");
    }
}

#[tokio::test]
async fn alerts_travel_through_sns_and_sqs_and_leave_through_ses() {
    let moto = MotoServer::start().expect("moto must run for the AWS path (run `cargo xtask test`)");
    let aws = AwsConfig {
        aws_region: "us-east-1".to_owned(),
        aws_endpoint_url: Some(moto.endpoint().parse().unwrap()),
    };
    let sdk = expense_kit::aws::sdk_config(&aws, Some(("testing", "testing"))).await;
    let events = wire_events(&sdk).await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let queue_url = events.queue_url.clone();
    let dead_letter_url = events.dead_letter_url.clone();
    let ses = aws_sdk_sesv2::Client::new(&sdk);
    ses.create_email_identity()
        .email_identity("expense.example")
        .send()
        .await
        .unwrap();

    let mut setup = Setup::new(Backend::Postgres);
    setup.config.mail_from = FROM.to_owned();
    setup.mailer = Some(Arc::new(SesMailer {
        client: ses.clone(),
        from: FROM.to_owned(),
    }));
    setup.aws = Some(events);
    let app = TestApp::spawn_with(setup).await;
    let ada = app.user("ada").await;

    // A message that is no event: moved to the dead-letter queue at once, never redelivered.
    sqs.send_message()
        .queue_url(&queue_url)
        .message_body("this is not an event")
        .send()
        .await
        .unwrap();
    assert_eq!(receive_one(&sqs, &dead_letter_url).await, "this is not an event");

    app.budget(&ada, "food", "100.00", 1).await;
    app.spend(&ada, "food", "85.00", monthly_period(app.today(), 1).0)
        .await;
    app.wait_handled(2).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.alerts(&ada).await.is_empty() {
        assert!(Instant::now() < deadline, "no alert arrived through SNS → SQS");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.alerts(&ada).await, [("food".to_owned(), 80)]);

    let deadline = Instant::now() + Duration::from_secs(10);
    let mail = loop {
        let mail = sent_mail(&moto).await;
        if !mail.is_empty() || Instant::now() > deadline {
            break mail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(mail.len(), 1, "one alert, one e-mail: {mail:?}");
    let raw = mail[0]["raw_data"].as_str().unwrap();
    assert!(
        raw.contains("Subject: 80 % of your food budget is spent"),
        "{raw}"
    );
    assert!(raw.contains(&format!("To: {}", ada.email)));
    assert!(raw.contains("multipart/alternative") && raw.contains("text/html"));
    assert_eq!(mail[0]["source"], FROM);

    // Redelivered (the same SNS publish twice): handled, and changes nothing.
    let published = app.published();
    expense_kit::events::EventBus::publish(
        &expense_kit::events::aws::SnsBus::new(&sdk, topic(&app, &sdk).await),
        &published,
    )
    .await
    .unwrap();
    app.wait_handled(2 + published.len()).await;
    assert_eq!(app.alerts(&ada).await.len(), 1);
    assert_eq!(sent_mail(&moto).await.len(), 1);

    // Everything handled was deleted: nothing waits or hides in the queue.
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap();
    assert_eq!(attributes[&QueueAttributeName::ApproximateNumberOfMessages], "0");
    assert_eq!(
        attributes[&QueueAttributeName::ApproximateNumberOfMessagesNotVisible],
        "0"
    );
}

/// The topic's ARN (the only one).
async fn topic(_app: &TestApp, sdk: &aws_config::SdkConfig) -> String {
    let topics = aws_sdk_sns::Client::new(sdk).list_topics().send().await.unwrap();
    topics.topics.unwrap()[0].topic_arn.clone().unwrap()
}

#[tokio::test]
async fn an_account_deletion_travels_through_sns_and_sqs_and_leaves_nothing_behind() {
    let moto = MotoServer::start().expect("moto must run for the AWS path (run `cargo xtask test`)");
    let aws = AwsConfig {
        aws_region: "us-east-1".to_owned(),
        aws_endpoint_url: Some(moto.endpoint().parse().unwrap()),
    };
    let sdk = expense_kit::aws::sdk_config(&aws, Some(("testing", "testing"))).await;
    let events = wire_events(&sdk).await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let queue_url = events.queue_url.clone();
    let mut setup = Setup::new(Backend::Sqlite);
    setup.aws = Some(events);
    let app = TestApp::spawn_with(setup).await;
    let ada = app.user("ada").await;
    let bob = app.user("bob").await;
    let day = monthly_period(app.today(), 1).0;
    for caller in [&ada, &bob] {
        app.budget(caller, "food", "100.00", 1).await;
        app.spend(caller, "food", "85.00", day).await;
    }
    app.wait_handled(4).await;
    let store = app.service.store();
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.alerts(&ada).await.is_empty() || app.alerts(&bob).await.is_empty() {
        assert!(Instant::now() < deadline, "no alerts arrived through SNS → SQS");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The auth relay publishes account.deleted to the topic; the queue brings it here.
    let gone = app
        .request(&ada, reqwest::Method::DELETE, "/v1/me")
        .json(&json!({ "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), reqwest::StatusCode::ACCEPTED);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !store.budgets(ada.id).await.unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "account.deleted did not arrive through SNS → SQS"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (from, to) = (day, day + time::Duration::days(40));
    assert!(store.budgets(ada.id).await.unwrap().is_empty());
    assert!(store.month_totals(ada.id, from, to).await.unwrap().is_empty());
    assert!(store.settings(ada.id).await.unwrap().is_none());
    assert!(
        store
            .notifications(ada.id, false, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.budgets(bob.id).await.unwrap().len(),
        1,
        "Bob's budget stays"
    );
    assert_eq!(app.alerts(&bob).await.len(), 1, "Bob's alert stays");

    // No message, about Ada or anyone, waits or hides in the queue.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let attributes = sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(QueueAttributeName::All)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap();
        let waiting = &attributes[&QueueAttributeName::ApproximateNumberOfMessages];
        let hidden = &attributes[&QueueAttributeName::ApproximateNumberOfMessagesNotVisible];
        if waiting == "0" && hidden == "0" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "messages left: {waiting} waiting, {hidden} in flight"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
