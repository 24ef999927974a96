from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("a/<int:pk>/records/", views.records_page, name="page"),
    path("a/<int:pk>/records/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("a/<int:pk>/records/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("a/<int:pk>/records/attendance.csv", views.attendance_csv,
         name="attendance_csv"),
    path("a/<int:pk>/records/attendance.xlsx", views.attendance_xlsx,
         name="attendance_xlsx"),
    path("a/<int:pk>/records/plenary.docx", views.plenary_docx, name="plenary_docx"),
    path("a/<int:pk>/records/plenary.pdf", views.plenary_pdf, name="plenary_pdf"),
]
