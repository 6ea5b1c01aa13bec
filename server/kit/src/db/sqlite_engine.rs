//! A SQLite database served by threads of its own: one writer fed by a queue, and a few readers.
//! The way SQLite is fast inside a server.
//!
//! SQLite runs queries synchronously, so a server must run them off its async threads. Handing
//! every statement (and every row) to a connection thread and back, as a pool of async
//! connections does, costs a pair of thread wake-ups each time, and those, not SQLite, were most
//! of a write's cost. Here a caller hands over a whole unit of work, a closure that runs every
//! statement it needs and decodes every row on the connection's thread, and is woken once with
//! the answer.
//!
//! Writes: SQLite lets one transaction write at a time, so every write goes to the one writer
//! thread. It takes every write queued meanwhile (up to a batch), runs them in one transaction
//! (each inside its own savepoint when there are several, so one that fails is undone alone),
//! commits once, and only then answers each: under load many writes share one commit (group
//! commit); alone, a write is its own transaction. No write ever waits on a lock held by another
//! connection of ours. Reads go to a few reader threads; in WAL mode they never wait for the
//! writer.
//!
//! An answer comes only after the commit, so a caller never sees a write that a crash of the
//! process could undo. What a power cut may lose follows `synchronous = NORMAL` (see
//! docs/configuration.md). The threads and their connections are opened at the first use, so a
//! service that never uses the engine pays nothing for it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

/// Most writes committed together.
const MAX_BATCH: usize = 256;
/// How long a connection waits for a lock held elsewhere (migrations, another process).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers a write once the transaction it ran in has committed (or failed to).
type Completion = Box<dyn FnOnce(Option<&rusqlite::Error>) + Send>;
/// A write: runs on the writer's connection inside the batch's transaction (or, given the error
/// that kept the transaction from starting, does not run); says whether to keep its changes.
type WriteJob = Box<dyn FnOnce(Result<&Connection, rusqlite::Error>) -> (bool, Completion) + Send>;
/// A read: runs on a reader's connection and answers by itself.
type ReadJob = Box<dyn FnOnce(&Connection) + Send>;

/// The threads serving one SQLite file. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SqliteEngine {
    path: Arc<PathBuf>,
    readers: usize,
    queues: Arc<OnceLock<Result<Queues, String>>>,
}

#[derive(Debug)]
struct Queues {
    writer: flume::Sender<WriteJob>,
    readers: flume::Sender<ReadJob>,
}

impl SqliteEngine {
    /// An engine for the database file at `path` (already created and migrated) with `readers`
    /// reading threads; nothing is opened until the first use.
    pub fn new(path: PathBuf, readers: usize) -> Self {
        Self {
            path: Arc::new(path),
            readers: readers.max(1),
            queues: Arc::new(OnceLock::new()),
        }
    }

    fn queues(&self) -> Result<&Queues, rusqlite::Error> {
        self.queues
            .get_or_init(|| start(&self.path, self.readers).map_err(|error| error.to_string()))
            .as_ref()
            .map_err(|error| failure(&format!("cannot open {}: {error}", self.path.display())))
    }

    /// Runs `read` on a reader's connection and answers its result.
    pub async fn read<T, E, F>(&self, read: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, E>>();
        let job: ReadJob = Box::new(move |connection| {
            let _ = reply.send(read(connection));
        });
        self.queues()?
            .readers
            .send(job)
            .map_err(|_| E::from(failure("the SQLite readers stopped")))?;
        answer
            .await
            .unwrap_or_else(|_| Err(E::from(failure("a SQLite read panicked"))))
    }

    /// Runs `write` on the writer's connection, in a transaction it may share with other
    /// writes, and answers once that transaction has committed. An `Err` from `write` undoes
    /// what `write` did (and only that); a failed commit fails every write that shared it.
    pub async fn write<T, E, F>(&self, write: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, E>>();
        let job: WriteJob = Box::new(move |connection| {
            let result = match connection {
                Ok(connection) => write(connection),
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
        });
        self.queues()?
            .writer
            .send(job)
            .map_err(|_| E::from(failure("the SQLite writer stopped")))?;
        answer
            .await
            .unwrap_or_else(|_| Err(E::from(failure("a SQLite write panicked; it was rolled back"))))
    }
}

/// Opens the connections and starts the threads; they end when the last engine is dropped.
fn start(path: &std::path::Path, readers: usize) -> Result<Queues, rusqlite::Error> {
    let (writer, writes) = flume::unbounded::<WriteJob>();
    let connection = open(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    std::thread::Builder::new()
        .name("sqlite-writer".into())
        .spawn(move || write_batches(&connection, &writes))
        .map_err(|error| failure(&format!("cannot start the SQLite writer: {error}")))?;
    let (reader, reads) = flume::unbounded::<ReadJob>();
    for _ in 0..readers {
        let connection = open(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let reads = reads.clone();
        std::thread::Builder::new()
            .name("sqlite-reader".into())
            .spawn(move || {
                while let Ok(job) = reads.recv() {
                    if catch_unwind(AssertUnwindSafe(|| job(&connection))).is_err() {
                        tracing::error!("a SQLite read panicked");
                    }
                }
            })
            .map_err(|error| failure(&format!("cannot start a SQLite reader: {error}")))?;
    }
    Ok(Queues {
        writer,
        readers: reader,
    })
}

/// A connection with the settings every connection of ours has (WAL, `synchronous = NORMAL`).
fn open(path: &std::path::Path, access: OpenFlags) -> Result<Connection, rusqlite::Error> {
    let connection = Connection::open_with_flags(
        path,
        access | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(connection)
}

/// The writer thread: batches of queued writes, one transaction each.
fn write_batches(connection: &Connection, writes: &flume::Receiver<WriteJob>) {
    let mut batch: Vec<WriteJob> = Vec::with_capacity(MAX_BATCH);
    while let Ok(first) = writes.recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match writes.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(connection, &mut batch);
    }
}

fn commit_batch(connection: &Connection, batch: &mut Vec<WriteJob>) {
    if let Err(error) = connection.execute_batch("BEGIN IMMEDIATE") {
        tracing::error!(%error, writes = batch.len(), "SQLite writer cannot begin a transaction; the writes are refused");
        for job in batch.drain(..) {
            let (_, completion) = job(Err(copy_error(&error)));
            completion(None);
        }
        return;
    }
    // A write alone needs no savepoint: if it fails, the transaction is rolled back whole.
    let alone = batch.len() == 1;
    let mut rollback = false;
    let mut completions: Vec<Completion> = Vec::with_capacity(batch.len());
    for job in batch.drain(..) {
        if !alone && let Err(error) = connection.execute_batch("SAVEPOINT job") {
            tracing::error!(%error, "SQLite writer cannot open a savepoint; the write is refused");
            let (_, completion) = job(Err(error));
            completions.push(completion);
            continue;
        }
        let keep = match catch_unwind(AssertUnwindSafe(|| job(Ok(connection)))) {
            Ok((keep, completion)) => {
                completions.push(completion);
                keep
            }
            Err(_) => {
                tracing::error!("a SQLite write panicked; its changes are rolled back");
                false
            }
        };
        if alone {
            rollback = !keep;
        } else {
            let end = if keep {
                "RELEASE job"
            } else {
                "ROLLBACK TO job; RELEASE job"
            };
            if let Err(error) = connection.execute_batch(end) {
                tracing::error!(%error, "SQLite writer cannot end a savepoint");
            }
        }
    }
    let outcome = if rollback {
        connection.execute_batch("ROLLBACK").err()
    } else {
        connection.execute_batch("COMMIT").err()
    };
    let commit_error = match outcome {
        Some(error) if !rollback => {
            tracing::error!(%error, "SQLite writer cannot commit; every write of the batch failed");
            let _ = connection.execute_batch("ROLLBACK");
            Some(error)
        }
        Some(error) => {
            tracing::error!(%error, "SQLite writer cannot roll back");
            None
        }
        None => None,
    };
    for completion in completions {
        completion(commit_error.as_ref());
    }
}

/// An error standing for `message`.
fn failure(message: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        Some(message.to_owned()),
    )
}

/// An error like `error`, for each write it fails (rusqlite errors cannot be cloned).
fn copy_error(error: &rusqlite::Error) -> rusqlite::Error {
    match error {
        rusqlite::Error::SqliteFailure(code, message) => {
            rusqlite::Error::SqliteFailure(*code, message.clone())
        }
        other => failure(&other.to_string()),
    }
}

/// Whether `error` means the database is busy or locked (answer 503 and let the caller retry)
/// rather than a bug.
pub fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> (SqliteEngine, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite3");
        let setup = Connection::open(&path).unwrap();
        setup
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL);",
            )
            .unwrap();
        (SqliteEngine::new(path, 2), dir)
    }

    fn insert(id: i64) -> impl FnOnce(&Connection) -> Result<usize, rusqlite::Error> {
        move |connection| connection.execute("INSERT INTO t (id, note) VALUES (?1, 'x')", [id])
    }

    async fn count(engine: &SqliteEngine) -> i64 {
        engine
            .read(|connection| connection.query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0)))
            .await
            .unwrap()
    }

    /// Concurrent writes all land; a failing one (a duplicate key) fails alone, and what it did
    /// before failing is undone while the writes it shared a commit with stand.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_commit_together_and_fail_alone() {
        let (engine, _dir) = engine();
        let tasks: Vec<_> = (0..200)
            .map(|id| {
                let engine = engine.clone();
                tokio::spawn(async move { engine.write(insert(id)).await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), 1);
        }
        assert_eq!(count(&engine).await, 200);

        // Queued together: the middle one fails after writing a row of its own.
        let good = engine.write(insert(1000));
        let half_done = engine.write(|connection: &Connection| {
            connection.execute("INSERT INTO t (id, note) VALUES (1001, 'first half')", [])?;
            connection.execute("INSERT INTO t (id, note) VALUES (5, 'a duplicate')", [])
        });
        let also_good = engine.write(insert(1002));
        let (good, half_done, also_good) = tokio::join!(good, half_done, also_good);
        assert_eq!((good.unwrap(), also_good.unwrap()), (1, 1));
        assert!(half_done.is_err());
        let ids: Vec<i64> = engine
            .read(|connection| {
                let mut statement = connection.prepare("SELECT id FROM t WHERE id >= 1000 ORDER BY id")?;
                statement.query_map([], |row| row.get(0))?.collect()
            })
            .await
            .unwrap();
        assert_eq!(ids, [1000, 1002], "the failed write left nothing behind");
    }

    /// A write or read that panics is answered with an error; the threads go on.
    #[tokio::test]
    async fn a_panicking_job_is_answered_and_the_engine_survives() {
        let (engine, _dir) = engine();
        let panicked: Result<usize, rusqlite::Error> = engine
            .write(|connection: &Connection| {
                connection.execute("INSERT INTO t (id, note) VALUES (7, 'x')", [])?;
                panic!("a bug in a write");
            })
            .await;
        assert!(panicked.is_err());
        let read: Result<i64, rusqlite::Error> = engine.read(|_| panic!("a bug in a read")).await;
        assert!(read.is_err());
        assert_eq!(engine.write(insert(8)).await.unwrap(), 1);
        assert_eq!(
            count(&engine).await,
            1,
            "the panicking write's row was rolled back"
        );
    }

    #[tokio::test]
    async fn a_missing_file_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let engine = SqliteEngine::new(dir.path().join("missing/none.sqlite3"), 1);
        let result: Result<i64, rusqlite::Error> = engine
            .read(|connection| connection.query_row("SELECT 1", [], |row| row.get(0)))
            .await;
        assert!(result.unwrap_err().to_string().contains("cannot open"));
    }
}
