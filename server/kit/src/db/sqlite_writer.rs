//! One connection for every write to a SQLite database, fed by a queue: the way SQLite is fast
//! inside a server.
//!
//! SQLite lets one transaction write at a time. A pool of connections that each `BEGIN
//! IMMEDIATE` makes concurrent writers wait on the file lock, in sleeps of SQLite's busy handler
//! (milliseconds each, hundreds at the tail). Here every write is a job sent to one task that
//! owns one connection: it takes every job queued meanwhile (up to a batch), runs them in one
//! transaction, each inside its own savepoint (a job that fails is rolled back alone and the
//! others stand), commits once, and only then answers each job. Under load many writes share one
//! commit (group commit); alone, a write is its own transaction, as before.
//!
//! An answer is sent only after the commit, so a caller never sees a write that a crash could
//! still undo (beyond what the `synchronous` setting allows; see docs/configuration.md). Reads go
//! to a separate pool of connections: in WAL mode they never wait for the writer.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Executor};
use tokio::sync::{OnceCell, mpsc, oneshot};

/// Most jobs committed together.
const MAX_BATCH: usize = 256;
/// Jobs waiting for the writer before `write` itself waits for room.
const QUEUE: usize = 4096;

/// Sends the job's answer once the transaction it ran in has committed (or failed to).
type Completion = Box<dyn FnOnce(Option<&sqlx::Error>) + Send>;

/// A write: runs on the writer's connection inside a savepoint (or, given the error that kept the
/// savepoint from opening, does not run); says whether to keep its changes and how to answer.
type Job = Box<
    dyn for<'c> FnOnce(Result<&'c mut SqliteConnection, sqlx::Error>) -> BoxFuture<'c, (bool, Completion)>
        + Send,
>;

/// The queue to a database's one writing connection. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SqliteWriter {
    options: Arc<SqliteConnectOptions>,
    /// Opened by the first write: a service that never writes here holds no connection.
    queue: Arc<OnceCell<mpsc::Sender<Job>>>,
}

impl SqliteWriter {
    /// A writer that opens its connection with `options` at the first write and starts the task
    /// that owns it; the task ends when the last `SqliteWriter` is dropped.
    pub fn new(options: SqliteConnectOptions) -> Self {
        Self {
            options: Arc::new(options),
            queue: Arc::new(OnceCell::new()),
        }
    }

    async fn queue(&self) -> Result<&mpsc::Sender<Job>, sqlx::Error> {
        self.queue
            .get_or_try_init(|| async {
                let connection = SqliteConnection::connect_with(&self.options).await?;
                let (queue, jobs) = mpsc::channel(QUEUE);
                tokio::spawn(run(connection, jobs));
                Ok(queue)
            })
            .await
    }

    /// Runs `work` on the writing connection, in a transaction it may share with other writes,
    /// and answers once that transaction has committed. An `Err` from `work` undoes what `work`
    /// did (and only that); a failed commit fails every write that shared it.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |connection| {
            Box::pin(async move {
                let result = match connection {
                    Ok(connection) => work(connection).await,
                    Err(error) => Err(E::from(error)),
                };
                let keep = result.is_ok();
                let completion: Completion = Box::new(move |commit_error| {
                    let answer = match (commit_error, result) {
                        (Some(error), Ok(_)) => Err(E::from(copy_error(error))),
                        (_, result) => result,
                    };
                    let _ = reply.send(answer);
                });
                (keep, completion)
            })
        });
        self.queue()
            .await?
            .send(job)
            .await
            .map_err(|_| E::from(sqlx::Error::PoolClosed))?;
        answer.await.unwrap_or_else(|_| {
            Err(E::from(sqlx::Error::Protocol(
                "the SQLite writer stopped before answering (a write panicked)".into(),
            )))
        })
    }
}

/// The writer task: batches of queued jobs, one transaction each.
async fn run(mut connection: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if let Err(error) = connection.execute("BEGIN IMMEDIATE").await {
            tracing::error!(%error, jobs = batch.len(), "SQLite writer cannot begin a transaction; the writes are refused");
            let _ = connection.execute("ROLLBACK").await;
            for job in batch.drain(..) {
                let (_, completion) = job(Err(copy_error(&error))).await;
                completion(None);
            }
            continue;
        }
        let mut completions: Vec<Completion> = Vec::with_capacity(batch.len());
        // A write alone in its transaction needs no savepoint: if it fails, the transaction is
        // rolled back whole. (Each statement is a hand-off to the connection's thread; two fewer
        // matter when writes come one at a time.)
        let alone = batch.len() == 1;
        let mut rollback = false;
        for job in batch.drain(..) {
            if alone {
                match AssertUnwindSafe(job(Ok(&mut connection))).catch_unwind().await {
                    Ok((keep, completion)) => {
                        rollback = !keep;
                        completions.push(completion);
                    }
                    Err(_) => {
                        tracing::error!("a SQLite write panicked; its changes are rolled back");
                        rollback = true;
                    }
                }
                continue;
            }
            if let Err(error) = connection.execute("SAVEPOINT job").await {
                tracing::error!(%error, "SQLite writer cannot open a savepoint; the write is refused");
                let (_, completion) = job(Err(error)).await;
                completions.push(completion);
                continue;
            }
            let outcome = AssertUnwindSafe(job(Ok(&mut connection))).catch_unwind().await;
            let keep = match outcome {
                Ok((keep, completion)) => {
                    completions.push(completion);
                    keep
                }
                Err(_) => {
                    tracing::error!("a SQLite write panicked; its changes are rolled back");
                    false
                }
            };
            let end = if keep {
                "RELEASE job"
            } else {
                "ROLLBACK TO job; RELEASE job"
            };
            if let Err(error) = connection.execute(end).await {
                tracing::error!(%error, "SQLite writer cannot end a savepoint");
            }
        }
        if rollback {
            if let Err(error) = connection.execute("ROLLBACK").await {
                tracing::error!(%error, "SQLite writer cannot roll back");
            }
            for completion in completions {
                completion(None);
            }
            continue;
        }
        let commit = connection.execute("COMMIT").await.err();
        if let Some(error) = &commit {
            tracing::error!(%error, "SQLite writer cannot commit; every write of the batch failed");
            let _ = connection.execute("ROLLBACK").await;
        }
        for completion in completions {
            completion(commit.as_ref());
        }
    }
    let _ = connection.close().await;
}

/// An error like `error`, for each write it fails (sqlx errors cannot be cloned).
fn copy_error(error: &sqlx::Error) -> sqlx::Error {
    match error {
        sqlx::Error::Database(database) => sqlx::Error::Protocol(format!(
            "SQLite: {} (code {})",
            database.message(),
            database.code().unwrap_or_default()
        )),
        other => sqlx::Error::Protocol(format!("SQLite: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sqlx::Row;
    use sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

    use super::*;

    async fn writer_and_reader() -> (SqliteWriter, sqlx::SqlitePool, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("test.sqlite3"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let reader = sqlx::SqlitePool::connect_with(options.clone()).await.unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
            .execute(&reader)
            .await
            .unwrap();
        (SqliteWriter::new(options), reader, dir)
    }

    fn insert(id: i64) -> impl for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<u64, sqlx::Error>> {
        move |connection| {
            Box::pin(async move {
                sqlx::query("INSERT INTO t (id, note) VALUES (?1, 'x')")
                    .bind(id)
                    .execute(&mut *connection)
                    .await
                    .map(|done| done.rows_affected())
            })
        }
    }

    async fn count(reader: &sqlx::SqlitePool) -> i64 {
        sqlx::query("SELECT COUNT(*) FROM t")
            .fetch_one(reader)
            .await
            .unwrap()
            .get(0)
    }

    /// Concurrent writes all land; a failing one (a duplicate key) fails alone, and what it
    /// did before failing is undone while the writes it shared a commit with stand.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_commit_together_and_fail_alone() {
        let (writer, reader, _dir) = writer_and_reader().await;
        let writer = Arc::new(writer);
        let tasks: Vec<_> = (0..200)
            .map(|id| {
                let writer = Arc::clone(&writer);
                tokio::spawn(async move { writer.write(insert(id)).await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), 1);
        }
        assert_eq!(count(&reader).await, 200);

        let half_done = writer
            .write(|connection: &mut SqliteConnection| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (id, note) VALUES (1000, 'first half')")
                        .execute(&mut *connection)
                        .await?;
                    sqlx::query("INSERT INTO t (id, note) VALUES (5, 'a duplicate')")
                        .execute(&mut *connection)
                        .await
                        .map(|done| done.rows_affected())
                })
            })
            .await;
        assert!(half_done.is_err());
        let next = writer.write(insert(1001)).await;
        assert_eq!(next.unwrap(), 1);
        let ids: Vec<i64> = sqlx::query("SELECT id FROM t WHERE id >= 1000 ORDER BY id")
            .fetch_all(&reader)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert_eq!(ids, [1001], "the failed write left nothing behind");
    }

    /// A write that panics is rolled back and answered with an error; the writer goes on.
    #[tokio::test]
    async fn a_panicking_write_is_answered_and_the_writer_survives() {
        let (writer, reader, _dir) = writer_and_reader().await;
        let panicked: Result<u64, sqlx::Error> = writer
            .write(|connection: &mut SqliteConnection| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (id, note) VALUES (7, 'x')")
                        .execute(&mut *connection)
                        .await?;
                    let bug = true;
                    if bug {
                        panic!("a bug in a write");
                    }
                    Ok(0u64)
                })
            })
            .await;
        assert!(panicked.is_err());
        assert_eq!(writer.write(insert(8)).await.unwrap(), 1);
        assert_eq!(count(&reader).await, 1, "the panicking write's row was rolled back");
    }
}
